// `_lp` functions add to `target`, which generated quantities do not have.
functions {
  real shift_lp(real x) {
    target += -x;
    return x;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
generated quantities {
  real z = shift_lp(mu);
}
