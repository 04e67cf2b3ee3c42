// Assigning a vector to a real.
data {
  int<lower=1> N;
  vector[N] x;
}
parameters {
  real mu;
}
model {
  real m = x;
  mu ~ normal(m, 1);
}
