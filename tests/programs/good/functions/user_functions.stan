// User-defined functions: a scalar helper with a branch, a vector function, a user density
// used with `~`, and an `_lp` function that increments the target.
functions {
  real soft_abs(real x, real eps) {
    if (x > 0) {
      return sqrt(x * x + eps);
    } else {
      return sqrt(x * x + eps) + 0;
    }
  }
  vector affine(vector x, real a, real b) {
    return a + b * x;
  }
  real my_normal_lpdf(vector y, vector mu, real sigma) {
    return normal_lpdf(y | mu, sigma);
  }
  void prior_lp(real mu) {
    target += normal_lpdf(mu | 0, 5);
  }
}
data {
  int<lower=1> N;
  vector[N] x;
  vector[N] y;
}
parameters {
  real a;
  real b;
  real<lower=0> sigma;
}
model {
  prior_lp(a);
  b ~ normal(0, 5);
  sigma ~ normal(soft_abs(0.5, 1e-6), 1);
  y ~ my_normal(affine(x, a, b), sigma);
}
