// Normalised _lpdf/_lpmf/_cdf functions may be called in every block; _lupdf only where target is available.
data {
  int<lower=1> N;
  vector[N] y;
  array[N] int<lower=0> k;
}
transformed data {
  real lp_data = normal_lpdf(y | 0, 1);
  real lp_counts = poisson_lpmf(k | 3);
  real tail = normal_lccdf(2 | 0, 1);
  real p_below = normal_cdf(0.5 | 0, 1);
}
parameters {
  real mu;
}
transformed parameters {
  real lp_mu = normal_lpdf(mu | 0, 1);
}
model {
  target += lp_mu;
  target += normal_lupdf(y | mu, 1);
}
generated quantities {
  real lp_y = normal_lpdf(y | mu, 1);
  real log_cdf_mu = normal_lcdf(mu | 0, 1);
  real constants = lp_data + lp_counts + tail + p_below;
}
