// Unknown function: `sqr` (a typo of `sqrt`).
parameters {
  real<lower=0> v;
}
model {
  v ~ exponential(1);
  target += sqr(v);
}
