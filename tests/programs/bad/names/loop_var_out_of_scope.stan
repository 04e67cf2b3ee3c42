// The loop variable `n` is used after its loop has ended.
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  real mu;
}
model {
  for (n in 1:N) {
    y[n] ~ normal(mu, 1);
  }
  mu ~ normal(n, 1);
}
