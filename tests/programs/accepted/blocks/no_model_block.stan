// Parameters and transformed parameters with no model block (implicitly a flat density on the constrained space).
parameters {
  real<lower=0, upper=1> p;
}
transformed parameters {
  real logit_p = logit(p);
}
generated quantities {
  int coin = bernoulli_rng(p);
}
