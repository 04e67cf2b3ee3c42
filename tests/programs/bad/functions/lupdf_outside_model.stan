// `_lupdf` drops constant terms, so Stan allows it only in the model block and in `_lpdf`
// functions; here it is used in generated quantities and in a plain function.
functions {
  real half_normal_part(real x, real s) {
    return normal_lupdf(x | 0, s);
  }
}
parameters { real<lower=0> sigma; }
model { sigma ~ normal(0, 1); }
generated quantities {
  real lp = normal_lupdf(sigma | 0, 1) + half_normal_part(sigma, 2);
}
