// Scalar bounds: lower, upper, both, and an upper bound that depends on another parameter.
data {
  int<lower=0> N;
  vector<lower=0, upper=1>[N] y;
}
parameters {
  real<lower=0> sigma;
  real<upper=0> neg;
  real<lower=0, upper=1> p;
  real<lower=0, upper=(1 - p)> q;
}
model {
  sigma ~ exponential(1);
  neg ~ normal(-1, 1);
  p ~ beta(2, 2);
  q ~ uniform(0, 1 - p);
  y ~ normal(p, sigma);
}
