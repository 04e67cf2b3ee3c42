// A functions block whose functions are called from transformed data, transformed parameters, model and generated quantities.
functions {
  real centred(real x, real m) {
    return x - m;
  }
  real shifted_normal_lpdf(real y, real mu, real shift) {
    return normal_lpdf(y | mu + shift, 1);
  }
  real draw_around_rng(real mu) {
    return normal_rng(mu, 0.1);
  }
  void check_positive(real x) {
    if (x <= 0) {
      reject("expected a positive value, got ", x);
    }
  }
}
data {
  real y;
  real<lower=0> s;
}
transformed data {
  check_positive(s);
  real jitter = draw_around_rng(0);
}
parameters {
  real mu;
}
transformed parameters {
  real c = centred(mu, y);
}
model {
  y ~ shifted_normal(mu, jitter);
  target += shifted_normal_lpdf(c | 0, 0);
}
generated quantities {
  real mu_draw = draw_around_rng(mu);
}
