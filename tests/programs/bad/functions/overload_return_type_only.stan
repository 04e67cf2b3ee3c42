// Two overloads that differ only in their return type.
functions {
  real scale(real x) {
    return 2 * x;
  }
  int scale(real x) {
    return 2;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(scale(1.0), 1);
}
