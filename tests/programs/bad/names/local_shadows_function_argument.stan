// A local variable in a function body with the name of one of its arguments.
functions {
  real clamp_positive(real x) {
    real x = fmax(x, 0);
    return x;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(clamp_positive(1.5), 1);
}
