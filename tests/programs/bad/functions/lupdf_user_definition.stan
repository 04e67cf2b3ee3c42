// User-defined densities are defined with `_lpdf`; `_lupdf` is only a way to call them.
functions {
  real laplace_lupdf(real y, real mu, real b) {
    return -abs(y - mu) / b;
  }
}
parameters {
  real mu;
}
model {
  mu ~ laplace(0, 1);
}
