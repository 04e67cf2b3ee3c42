// Generated quantities assign their own variables repeatedly, with locals in nested blocks and loops.
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  y ~ normal(mu, sigma);
}
generated quantities {
  real max_abs_resid = 0;
  int n_outliers = 0;
  vector[N] z = (y - mu) / sigma;
  for (n in 1:N) {
    real a = abs(z[n]);
    if (a > max_abs_resid) {
      max_abs_resid = a;
    }
    if (a > 2) {
      n_outliers += 1;
    }
  }
  {
    vector[N] sim;
    for (n in 1:N) {
      sim[n] = normal_rng(mu, sigma);
    }
    z = (sim - mu) / sigma;
  }
}
