// Sum-to-zero vector for group effects in a one-way model.
data {
  int<lower=1> N;
  int<lower=2> G;
  array[N] int<lower=1, upper=G> group;
  vector[N] y;
}
parameters {
  real mu;
  sum_to_zero_vector[G] effect;
  real<lower=0> sigma;
}
model {
  mu ~ normal(0, 10);
  effect ~ normal(0, 1);
  sigma ~ exponential(1);
  y ~ normal(mu + effect[group], sigma);
}
generated quantities {
  real check = sum(effect);
}
