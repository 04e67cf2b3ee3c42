// Generated quantities with random number generators: scalar and vectorised draws, ints.
data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model { y ~ normal(mu, sigma); mu ~ normal(0, 10); sigma ~ normal(0, 5); }
generated quantities {
  real y_rep = normal_rng(mu, sigma);
  array[N] real y_reps = normal_rng(rep_vector(mu, N), sigma);
  int k = poisson_rng(3.5);
  int b = bernoulli_logit_rng(mu);
}
