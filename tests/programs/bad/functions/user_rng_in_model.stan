// A user-defined `_rng` function is called in the model block, where random number generators are not allowed.
functions {
  real jitter_rng(real mu) {
    return normal_rng(mu, 0.1);
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(jitter_rng(0), 1);
}
