// `normal` is given three parameters after `~` instead of two.
data {
  real y;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  y ~ normal(mu, sigma, 3);
}
