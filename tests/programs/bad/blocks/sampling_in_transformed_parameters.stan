// A sampling statement in the transformed parameters block.
parameters {
  real mu;
}
transformed parameters {
  real m = 2 * mu;
  mu ~ normal(0, 1);
}
model {
  m ~ normal(0, 1);
}
