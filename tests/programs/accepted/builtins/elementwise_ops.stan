// Element-wise operations and vectorised unary functions on vectors, matrices and arrays.
data {
  int<lower=1> N;
  vector<lower=0>[N] v;
  matrix<lower=0>[N, N] M;
  array[N] real<lower=0> a;
}
transformed data {
  vector[N] ew = v .* v ./ (v + 1);
  matrix[N, N] em = M .* M ./ (M + 1);
  vector[N] pw = v .^ 2 + 2 .^ v;
  matrix[N, N] le = log(M + 1) + exp(-M) + sqrt(M);
  array[N] real la = log1p(a);
  array[N] real sq = square(a);
  vector[N] fm = abs(v);
  vector[N] pv = v .^ 0.5;
  vector[N] ilv = inv_logit(v) + lgamma(v + 1) + Phi(v);
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(ew) + sum(em) + sum(pw) + sum(le) + sum(la) + sum(sq) + sum(fm) + sum(pv) + sum(ilv), 100);
}
