// Data and generated quantities only: forward simulation with no parameters and no model block.
data {
  int<lower=1> N;
  real mu;
  real<lower=0> sigma;
}
generated quantities {
  array[N] real y_sim;
  for (n in 1:N) {
    y_sim[n] = normal_rng(mu, sigma);
  }
  real sim_mean = mean(y_sim);
}
