// hmm_marginal with a transition matrix built from simplexes, and hmm_latent_rng in generated quantities.
data {
  int<lower=1> T;
  vector[T] y;
}
parameters {
  array[2] simplex[2] rows;
  ordered[2] mu;
  simplex[2] rho;
}
transformed parameters {
  matrix[2, T] log_omega;
  matrix[2, 2] Gamma;
  for (k in 1:2) {
    Gamma[k] = rows[k]';
    for (t in 1:T) {
      log_omega[k, t] = normal_lpdf(y[t] | mu[k], 1);
    }
  }
}
model {
  mu ~ normal(0, 3);
  target += hmm_marginal(log_omega, Gamma, rho);
}
generated quantities {
  array[T] int z = hmm_latent_rng(log_omega, Gamma, rho);
  matrix[2, T] probs = hmm_hidden_state_prob(log_omega, Gamma, rho);
}
