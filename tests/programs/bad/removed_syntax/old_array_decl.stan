// Removed array syntax: `real y[N];` instead of `array[N] real y;`.
data {
  int<lower=0> N;
  real y[N];
}
parameters {
  real mu;
}
model {
  y ~ normal(mu, 1);
}
