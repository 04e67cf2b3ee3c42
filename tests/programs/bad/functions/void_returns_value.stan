// A void function cannot return a value.
functions {
  void check_positive(real x) {
    if (x <= 0) reject("x must be positive, found ", x);
    return x;
  }
}
parameters {
  real<lower=0> sigma;
}
model {
  sigma ~ exponential(1);
}
