// Truncated discrete distributions: zero-truncated Poisson and bounded negative binomial and binomial.
data {
  int<lower=1> N;
  array[N] int<lower=1> y;
  int<lower=0, upper=50> capped;
  int<lower=2, upper=8> k;
}
parameters {
  real<lower=0> lambda;
  real<lower=0> mu;
  real<lower=0> phi;
  real<lower=0, upper=1> p;
}
model {
  for (n in 1:N) {
    y[n] ~ poisson(lambda) T[1, ];
  }
  capped ~ neg_binomial_2(mu, phi) T[, 50];
  k ~ binomial(10, p) T[2, 8];
  y ~ poisson(lambda) T[1, ];
}
