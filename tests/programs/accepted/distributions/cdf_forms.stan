// Cumulative forms: `_cdf`, `_lcdf` and `_lccdf` for continuous and discrete distributions, used for censoring.
data {
  int<lower=0> N_obs;
  int<lower=0> N_cens;
  vector<lower=0>[N_obs] t_obs;
  real<lower=0> t_cens;
  int<lower=0> k_max;
}
parameters {
  real<lower=0> shape;
  real<lower=0> scale;
  real<lower=0> lambda;
}
model {
  t_obs ~ weibull(shape, scale);
  target += N_cens * weibull_lccdf(t_cens | shape, scale);
  target += normal_lcdf(0 | log(scale), 1);
  target += poisson_lcdf(k_max | lambda);
  target += poisson_lccdf(k_max | lambda);
}
generated quantities {
  real p_cens = weibull_cdf(t_cens | shape, scale);
  real p_le = poisson_cdf(k_max | lambda);
  real p_exp = exponential_cdf(1.0 | lambda);
}
