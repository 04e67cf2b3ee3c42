data {
  int<lower=1> N;
  int<lower=1> J;
  array[N] int g;
  vector[N] y;
}
parameters {
  vector[J] mu;
  real<lower=0> sigma;
}
model {
  mu ~ normal(0, 5);
  sigma ~ exponential(1);
  y ~ normal(mu[g], sigma);
}
