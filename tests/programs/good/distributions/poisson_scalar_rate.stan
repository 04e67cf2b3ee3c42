// An int-array variate with a scalar rate: `y ~ poisson(lambda)` and `z ~ poisson_log(eta)`.
data {
  int<lower=1> N;
  array[N] int<lower=0> y;
  array[N] int<lower=0> z;
}
parameters {
  real<lower=0> lambda;
  real eta;
}
model {
  lambda ~ gamma(2, 0.5);
  eta ~ normal(0, 2);
  y ~ poisson(lambda);
  z ~ poisson_log(eta);
}
