// A default value for a function argument, which Stan does not have.
functions {
  real scaled(real x, real s = 1) {
    return x * s;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(scaled(1.0, 2.0), 1);
}
