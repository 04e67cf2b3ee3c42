// Real-valued sizes in two declarations: every bad size is reported.
data {
  real N;
  real<lower=0> K;
  vector[N] y;
  matrix[N, K] X;
}
parameters {
  real mu;
}
model {
  y ~ normal(mu, 1);
}
