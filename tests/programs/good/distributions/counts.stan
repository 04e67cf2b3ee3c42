// poisson_log with a log-linear predictor; cauchy and inv_gamma priors.
data {
  int<lower=1> N;
  vector[N] x;
  array[N] int<lower=0> k;
}
parameters {
  real alpha;
  real beta;
  real<lower=0> nu;
}
model {
  alpha ~ cauchy(0, 2.5);
  beta ~ normal(0, 1);
  nu ~ inv_gamma(3, 2);
  k ~ poisson_log(alpha + beta * x);
}
