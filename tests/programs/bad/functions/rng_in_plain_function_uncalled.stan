// A function that is not an `_rng` function draws random numbers (never called, still wrong).
functions {
  real jitter(real x) {
    return x + normal_rng(0, 0.1);
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
