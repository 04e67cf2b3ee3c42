// Removed array syntax for a local variable in the model block.
data {
  int<lower=1> N;
  vector[N] x;
  vector[N] y;
}
parameters {
  real alpha;
  real beta;
}
model {
  real mu[N];
  for (n in 1:N) {
    mu[n] = alpha + beta * x[n];
  }
  y ~ normal(mu, 1);
}
