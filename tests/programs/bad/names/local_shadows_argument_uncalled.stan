// A local variable in a function body reuses an argument's name; the function is never called.
functions {
  real half(real x) {
    real x = 0.5;
    return x;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
