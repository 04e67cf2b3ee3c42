// Two undefined names in different blocks: both are reported.
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  real mu;
}
model {
  mu ~ normal(prior_mean, 1);
  y ~ normal(mu, 1);
}
generated quantities {
  real y_new = normal_rng(mu, noise_sd);
}
