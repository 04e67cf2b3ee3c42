// A function argument written without its type.
functions {
  real scaled(real x, s) {
    return x * s;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(scaled(1.0, 2.0), 1);
}
