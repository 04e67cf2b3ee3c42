// A user-defined `_lpdf` used with `~`, with `target +=`, and called directly in generated quantities.
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
  mu ~ laplace_shift(0, 10);
  for (n in 1:N) {
    target += laplace_shift_lpdf(y[n] | mu, b);
  }
}
generated quantities {
  real lp1 = laplace_shift_lpdf(y[1] | mu, b);
}
