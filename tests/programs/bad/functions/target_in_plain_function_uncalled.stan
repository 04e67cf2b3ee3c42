// A function that is not an `_lp` function adds to `target` (never called, still wrong).
functions {
  real penalise(real x) {
    target += -square(x);
    return x;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
