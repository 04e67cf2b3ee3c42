// An unknown function and an unknown variable: both are reported.
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  sigma ~ exponantial(1);
  y ~ normal(mu, sigma);
  target += normal_lpdf(mu | mu0, 1);
}
