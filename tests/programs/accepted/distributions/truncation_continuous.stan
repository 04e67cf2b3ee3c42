// Truncated continuous distributions: lower only, upper only, both, and parameter-valued bounds.
data {
  int<lower=1> N;
  array[N] real<lower=0> y;
  real<upper=5> u;
  real<lower=-1, upper=1> r;
  real L;
}
parameters {
  real mu;
  real<lower=0> sigma;
  real<lower=0> lambda;
}
model {
  for (n in 1:N) {
    y[n] ~ normal(mu, sigma) T[0, ];
  }
  u ~ normal(mu, sigma) T[, 5];
  r ~ normal(mu, sigma) T[-1, 1];
  y[1] ~ exponential(lambda) T[0, 10];
  y ~ lognormal(mu, sigma) T[0.1, ];
  L ~ normal(mu, 1) T[mu - 3 * sigma, mu + 3 * sigma];
}
