// Function arguments are read-only.
functions {
  real twice(real x) {
    x = 2 * x;
    return x;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
