// `return` belongs in function bodies; the model block cannot return.
data {
  int<lower=0> N;
  vector[N] y;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
  if (N == 0) {
    return;
  }
  y ~ normal(mu, 1);
}
