// Discrete distributions with `~`: bernoulli, binomial, beta_binomial, poisson, negative binomials, hypergeometric, categorical, discrete_range.
data {
  int<lower=0, upper=1> z;
  int<lower=0, upper=20> k;
  int<lower=0> count;
  int<lower=1, upper=3> cat;
  int<lower=0, upper=5> draws;
  int<lower=2, upper=9> level;
  int<lower=0> nb;
}
parameters {
  real<lower=0, upper=1> theta;
  real<lower=0> lambda;
  real<lower=0> phi;
  simplex[3] probs;
  real<lower=0> a;
  real<lower=0> b;
  real eta;
}
model {
  z ~ bernoulli(theta);
  z ~ bernoulli_logit(eta);
  k ~ binomial(20, theta);
  k ~ binomial_logit(20, eta);
  k ~ beta_binomial(20, a, b);
  count ~ poisson(lambda);
  count ~ poisson_log(eta);
  nb ~ neg_binomial(a, b);
  nb ~ neg_binomial_2(lambda, phi);
  nb ~ neg_binomial_2_log(eta, phi);
  draws ~ hypergeometric(10, 6, 8);
  cat ~ categorical(probs);
  cat ~ categorical_logit([eta, 0, -eta]');
  level ~ discrete_range(2, 9);
}
