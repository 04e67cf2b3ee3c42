// A two-component normal mixture written with log_mix, and ordered means.
data {
  int<lower=1> N;
  array[N] real y;
}
parameters {
  ordered[2] mu;
  real<lower=0> sigma;
  real<lower=0, upper=1> theta;
}
model {
  mu ~ normal(0, 3);
  sigma ~ lognormal(0, 0.5);
  theta ~ beta(3, 3);
  for (n in 1:N) {
    target += log_mix(theta, normal_lpdf(y[n] | mu[1], sigma), normal_lpdf(y[n] | mu[2], sigma));
  }
}
