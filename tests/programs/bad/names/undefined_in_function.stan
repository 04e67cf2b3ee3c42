// Names in a function body resolve to its arguments and locals, not to the program's data.
functions {
  real centre(real x) {
    return x - mean_y;
  }
}
data {
  real mean_y;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
