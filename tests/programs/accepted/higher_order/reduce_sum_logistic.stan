// reduce_sum slicing an integer outcome array, with data matrix and parameter vector shared.
functions {
  real partial_bernoulli_logit(array[] int y_slice, int start, int end, matrix X, vector beta, real alpha) {
    return bernoulli_logit_lpmf(y_slice | alpha + X[start:end] * beta);
  }
}
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] X;
  array[N] int<lower=0, upper=1> y;
}
parameters {
  real alpha;
  vector[K] beta;
}
model {
  alpha ~ normal(0, 2);
  beta ~ normal(0, 1);
  target += reduce_sum(partial_bernoulli_logit, y, 1, X, beta, alpha);
}
