// `~` is followed by `normal_cdf` instead of the distribution name `normal`.
data {
  real y;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  y ~ normal_cdf(mu, sigma);
}
