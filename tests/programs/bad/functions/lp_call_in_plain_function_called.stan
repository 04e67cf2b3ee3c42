// A plain function that calls an `_lp` function, called from the model block.
functions {
  real prior_lp(real x) { x ~ normal(0, 1); return 0; }
  real wrap(real x) { return prior_lp(x); }
}
parameters { real mu; }
model { real z = wrap(mu); }
