// A typo in a function body: `scl` for the argument `scale`.
functions {
  real standardize(real x, real loc, real scale) {
    return (x - loc) / scl;
  }
}
data {
  real y;
}
parameters {
  real mu;
}
model {
  mu ~ normal(standardize(y, 0, 2), 1);
}
