// A user-defined `_lpdf` must take a real variate; an int variate needs `_lpmf`.
functions {
  real zero_inflated_lpdf(int y, real theta, real lambda) {
    if (y == 0) {
      return log_sum_exp(log(theta), log1m(theta) + poisson_lpmf(0 | lambda));
    }
    return log1m(theta) + poisson_lpmf(y | lambda);
  }
}
data {
  int<lower=0> y;
}
parameters {
  real<lower=0, upper=1> theta;
  real<lower=0> lambda;
}
model {
  y ~ zero_inflated(theta, lambda);
}
