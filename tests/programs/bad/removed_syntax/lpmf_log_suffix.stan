// The removed `_log` suffix on a mass function: `poisson_log(n, lambda)` is now `poisson_lpmf(n | lambda)`.
data {
  int<lower=0> n;
}
parameters {
  real<lower=0> lambda;
}
model {
  target += poisson_log(n, lambda);
}
