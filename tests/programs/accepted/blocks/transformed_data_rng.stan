// Random number generators in transformed data draw fixed simulated data once, then used by the model.
data {
  int<lower=1> N;
}
transformed data {
  real true_mu = normal_rng(0, 1);
  vector[N] x;
  array[N] int flips;
  for (n in 1:N) {
    x[n] = normal_rng(true_mu, 1);
    flips[n] = bernoulli_rng(0.3);
  }
}
parameters {
  real mu;
  real<lower=0, upper=1> p;
}
model {
  mu ~ normal(0, 1);
  x ~ normal(mu, 1);
  flips ~ bernoulli(p);
}
generated quantities {
  real error = mu - true_mu;
}
