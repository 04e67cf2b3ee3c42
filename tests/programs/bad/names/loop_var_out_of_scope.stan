// The loop variable `n` is used after its loop has ended.
data {
  int<lower=1> N;
  vector[N] obs;
}
parameters {
  real mu;
}
model {
  for (n in 1:N) {
    obs[n] ~ normal(mu, 1);
  }
  mu ~ normal(n, 1);
}
