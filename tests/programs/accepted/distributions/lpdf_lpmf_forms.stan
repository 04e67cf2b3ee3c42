// Explicit density forms: `_lpdf`/`_lpmf` with the vertical bar, and `_lupdf`/`_lupmf` in the model block.
data {
  int<lower=0> N;
  vector[N] y;
  array[N] int<lower=0> k;
}
parameters {
  real mu;
  real<lower=0> sigma;
  real<lower=0> lambda;
}
model {
  target += normal_lupdf(mu | 0, 10);
  target += exponential_lupdf(sigma | 1);
  target += gamma_lpdf(lambda | 2, 1);
  target += normal_lpdf(y | mu, sigma);
  target += poisson_lupmf(k | lambda);
  target += poisson_lpmf(k | lambda);
}
generated quantities {
  real log_lik = normal_lpdf(y | mu, sigma) + poisson_lpmf(k | lambda);
}
