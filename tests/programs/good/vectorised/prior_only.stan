// brms's shape: the likelihood sits in `if (!prior_only)`. A branch runs at most once, so the
// vectorised density's reverse runs inside its forward loop (one pass over the data).
data {
  int<lower=1> N;
  vector[N] x;
  vector[N] y;
  int prior_only;
}
parameters {
  real alpha;
  real beta;
  real<lower=0> sigma;
}
model {
  alpha ~ normal(0, 5);
  beta ~ normal(0, 5);
  sigma ~ exponential(1);
  if (!prior_only) {
    vector[N] mu = alpha + beta * x;
    y ~ normal(mu, sigma);
  }
}
