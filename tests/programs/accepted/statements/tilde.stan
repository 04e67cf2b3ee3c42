// Distribution statements with scalar, vector, indexed and expression left-hand sides.
data {
  int<lower=1> N;
  vector[N] y;
  array[N] int<lower=0, upper=1> z;
  array[N] int<lower=0> k;
}
parameters {
  real mu;
  real<lower=0> sigma;
  vector[2] beta;
  real<lower=0> lambda;
}
model {
  mu ~ normal(0, 10);
  sigma ~ student_t(3, 0, 1);
  beta ~ std_normal();
  beta[1] ~ normal(beta[2], 1);
  lambda ~ gamma(2, 0.5);
  y[1:2] ~ normal(mu, sigma);
  (y - mu) / sigma ~ std_normal();
  z ~ bernoulli_logit(beta[1] + beta[2] * y);
  k ~ poisson(lambda);
  sum(k) ~ poisson(N * lambda);
}
