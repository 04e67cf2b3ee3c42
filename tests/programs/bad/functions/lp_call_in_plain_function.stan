// A plain function calls an `_lp` function, which needs `target`.
functions {
  real prior_lp(real x) {
    x ~ normal(0, 1);
    return x;
  }
  real wrapped(real x) {
    return prior_lp(x);
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
