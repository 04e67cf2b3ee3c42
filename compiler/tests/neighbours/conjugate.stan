// A normal mean with a normal prior and known noise, whose posterior is known in closed form:
// mu | y ~ normal(5.9 / 5.25, sqrt(1 / 5.25)) for the data beside it. s is apart from the data:
// lognormal(0, 1), its density's mode exp(-1), its unconstrained mode 1.
data {
  int<lower=0> N;
  vector[N] y;
}
parameters {
  real mu;
  real<lower=0> s;
}
model {
  mu ~ normal(0, 2);
  y ~ normal(mu, 1);
  s ~ lognormal(0, 1);
}
generated quantities {
  real two_mu = 2 * mu;
  real y_rep = normal_rng(mu, 1);
}
