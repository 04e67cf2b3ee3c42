// Variables named after library functions (beta, gamma, inv) coexist with calls to the distributions of those names.
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] X;
  array[N] int<lower=0, upper=1> z;
}
parameters {
  vector[K] beta;
  real<lower=0> gamma;
  real<lower=0, upper=1> inv;
}
model {
  beta ~ normal(0, gamma);
  gamma ~ gamma(2, 2);
  inv ~ beta(2, 2);
  z ~ bernoulli_logit(X * beta + logit(inv));
}
