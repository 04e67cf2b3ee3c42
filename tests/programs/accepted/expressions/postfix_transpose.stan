// Postfix transpose binds tighter than multiplication; a transposed value is indexed after parenthesising it.
data {
  int<lower=2> N;
  vector[N] v;
  matrix[N, N] M;
}
transformed data {
  real inner = v' * v;
  matrix[N, N] outer = v * v';
  real quad = v' * M * v;
  vector[N] first_row = M[1]';
  row_vector[N] first_col = M[:, 1]';
  matrix[N, N] MtM = M' * M;
  real element = (M')[1, 2];
  row_vector[N] tr_row = (M')[2];
  vector[N] back = v'';
  row_vector[N] sum_t = (v + v)';
  real neg_inner = -v' * v;
}
parameters {
  real mu;
}
model {
  mu ~ normal(inner + sum(outer) + quad + sum(first_row) + sum(first_col), 10);
  target += (sum(MtM) + element + sum(tr_row) + sum(back) + sum(sum_t) + neg_inner) * 0;
}
