// Unary minus, plus and logical negation on ints, reals, vectors and matrices, stacked and parenthesised.
data {
  int<lower=1> N;
  int k;
  real x;
  vector[N] v;
  matrix[N, N] M;
}
transformed data {
  int neg_int = -k;
  int plus_int = +k;
  real neg_real = -x;
  real double_neg = - -x;
  real plus_neg = +-x;
  int not_k = !k;
  int not_not = !!k;
  int not_cmp = !(x > 0);
  vector[N] neg_v = -v;
  row_vector[N] neg_t = -v';
  matrix[N, N] neg_m = -M;
  real neg_product = -x * 2;
  real neg_sum = -(x + 1);
}
parameters {
  real mu;
}
model {
  mu ~ normal(neg_int + plus_int + neg_real + double_neg + plus_neg + not_k + not_not + not_cmp, 10);
  target += (sum(neg_v) + sum(neg_t) + sum(neg_m) + neg_product + neg_sum) * 0;
}
