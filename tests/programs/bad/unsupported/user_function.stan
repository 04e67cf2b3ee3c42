// A user-defined function (not supported yet).
functions {
  real twice(real x) {
    return 2 * x;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(twice(1.0), 1);
}
