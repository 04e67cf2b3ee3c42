// A user-defined `_lpmf` must take an int variate; a real variate needs `_lpdf`.
functions {
  real shifted_exponential_lpmf(real y, real lambda, real shift) {
    return exponential_lpdf(y - shift | lambda);
  }
}
data {
  real y;
}
parameters {
  real<lower=0> lambda;
}
model {
  y ~ shifted_exponential(lambda, 0.5);
}
