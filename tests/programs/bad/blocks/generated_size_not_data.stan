// A generated quantity sized by a value computed in the block.
parameters { real<lower=0> lambda; }
model { lambda ~ exponential(1); }
generated quantities {
  int k = poisson_rng(lambda) + 1;
  vector[k] draws;
}
