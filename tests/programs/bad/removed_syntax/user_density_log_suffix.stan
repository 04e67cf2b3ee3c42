// A user density named the pre-2.26 way (`foo_log`) used with `~`.
functions {
  real foo_log(real x, real mu) {
    return -square(x - mu);
  }
  real bar_cdf_log(real x, real mu) {
    return -square(x - mu);
  }
}
parameters {
  real mu;
}
model {
  mu ~ foo(0);
  target += foo_log(mu, 0);
}
