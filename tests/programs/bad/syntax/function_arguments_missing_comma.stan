// Two function arguments without a comma between them.
functions {
  real scaled(real x real s) {
    return x * s;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(scaled(1.0, 2.0), 1);
}
