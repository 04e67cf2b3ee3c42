// Lower and upper bounds given by expressions over data, function calls and earlier parameters.
data {
  int<lower=1> N;
  vector[N] y;
  real<lower=0> width;
}
transformed data {
  real lo = min(y) - width;
  real hi = max(y) + width;
}
parameters {
  real<lower=lo, upper=hi> mu;
  real<lower=0, upper=sd(y) * 10> sigma;
  real<lower=mu - 1, upper=mu + 1> near_mu;
  real<lower=fmax(lo, 0)> positive_part;
}
model {
  y ~ normal(mu, sigma);
  near_mu ~ normal(mu, 0.5);
  positive_part ~ exponential(1);
}
