// Typos in two variable names: both are reported with a suggestion.
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  mu ~ normal(0, 1);
  sigma ~ exponential(1);
  target += normal_lpdf(mu | 0, sgma);
  target += normal_lpdf(sigma | nu, 1);
}
