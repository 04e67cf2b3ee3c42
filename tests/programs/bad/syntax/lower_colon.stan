// A bound written `lower: 0` instead of `lower=0`.
parameters {
  real mu;
  real<lower: 0> sigma;
}
model {
  mu ~ normal(0, sigma);
}
