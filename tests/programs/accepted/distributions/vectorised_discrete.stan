// Vectorised discrete likelihoods over int arrays, with vector, array and scalar parameters.
data {
  int<lower=1> N;
  array[N] int<lower=0> counts;
  array[N] int<lower=0, upper=1> flags;
  array[N] int<lower=0> trials;
  array[N] int<lower=0> successes;
  vector[N] x;
}
parameters {
  real alpha;
  real beta;
  vector<lower=0, upper=1>[N] p;
  real<lower=0> phi;
}
model {
  counts ~ poisson_log(alpha + beta * x);
  counts ~ neg_binomial_2_log(alpha + beta * x, phi);
  flags ~ bernoulli(p);
  flags ~ bernoulli_logit(alpha + beta * x);
  successes ~ binomial(trials, p);
  successes ~ binomial_logit(trials, alpha + x);
  target += poisson_lpmf(counts | exp(alpha));
}
