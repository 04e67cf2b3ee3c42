// Circular and bounded families with their cdf forms: von_mises_lcdf, beta_lccdf, uniform_cdf.
data {
  real<lower=-pi(), upper=pi()> theta_obs;
  real<lower=0, upper=1> p_obs;
}
parameters {
  real<lower=-pi(), upper=pi()> mu;
  real<lower=0> kappa;
  real<lower=0> a;
  real<lower=0> b;
}
model {
  kappa ~ gamma(2, 1);
  theta_obs ~ von_mises(mu, kappa);
  target += von_mises_lcdf(theta_obs | mu, kappa);
  target += beta_lccdf(p_obs | a, b);
  target += log(uniform_cdf(p_obs | 0, 1));
}
