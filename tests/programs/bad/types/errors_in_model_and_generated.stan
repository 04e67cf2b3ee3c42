// A type error in the model block and another in generated quantities: both are reported.
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  real mu;
}
model {
  real m = y;
  mu ~ normal(m, 1);
}
generated quantities {
  int y_rep = normal_rng(mu, 1);
}
