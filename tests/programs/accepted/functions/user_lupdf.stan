// The `_lupdf` form of a user-defined `_lpdf`, used with `target +=` in the model block.
functions {
  real laplace_shift_lpdf(real y, real mu, real b) {
    return -log(2 * b) - abs(y - mu) / b;
  }
}
data {
  int<lower=1> N;
  array[N] real y;
}
parameters {
  real mu;
  real<lower=0> b;
}
model {
  b ~ lognormal(0, 1);
  for (n in 1:N) {
    target += laplace_shift_lupdf(y[n] | mu, b);
  }
}
