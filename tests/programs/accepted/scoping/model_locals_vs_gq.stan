// Model-block locals are private to the model block, so generated quantities may declare the same names.
data {
  int<lower=1> N;
  vector[N] x;
  vector[N] y;
}
parameters {
  real a;
  real b;
  real<lower=0> sigma;
}
model {
  vector[N] mu = a + b * x;
  real scale = 2;
  a ~ normal(0, scale);
  b ~ normal(0, scale);
  sigma ~ exponential(1);
  y ~ normal(mu, sigma);
}
generated quantities {
  vector[N] mu = a + b * x;
  real scale = sd(y - mu);
}
