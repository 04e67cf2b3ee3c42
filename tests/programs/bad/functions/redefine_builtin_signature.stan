// A user function with exactly the signature of a built-in one.
functions {
  real log_sum_exp(real a, real b) {
    real m = fmax(a, b);
    return m + log(exp(a - m) + exp(b - m));
  }
}
data { real y; }
parameters { real mu; real<lower=0, upper=1> p; }
model {
  target += log_sum_exp(log(p) + normal_lpdf(y | mu, 1), log1m(p) + normal_lpdf(y | 0, 1));
}
