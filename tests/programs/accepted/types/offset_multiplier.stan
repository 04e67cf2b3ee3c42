// Offset and multiplier on scalars, alone and combined, with parameter-dependent values.
data {
  int<lower=1> J;
  vector[J] y;
  vector<lower=0>[J] se;
}
parameters {
  real<offset=0> shift_only;
  real<multiplier=2> scale_only;
  real mu;
  real<lower=0> tau;
  vector<offset=mu, multiplier=tau>[J] theta;
}
model {
  shift_only ~ normal(0, 1);
  scale_only ~ normal(0, 2);
  mu ~ normal(0, 5);
  tau ~ normal(0, 5);
  theta ~ normal(mu, tau);
  y ~ normal(theta, se);
}
