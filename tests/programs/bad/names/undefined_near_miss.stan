// Undefined variable `sigm`: a typo of `sigma`, so a "did you mean" hint is expected.
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  sigma ~ exponential(1);
  mu ~ normal(0, sigm);
}
