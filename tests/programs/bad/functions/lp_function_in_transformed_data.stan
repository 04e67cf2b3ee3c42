// An `_lp` function called in transformed data, where there is no `target`.
functions {
  real standardize_lp(real x) {
    target += -0.5 * square(x);
    return x;
  }
}
data {
  real y;
}
transformed data {
  real z = standardize_lp(y);
}
parameters {
  real mu;
}
model {
  mu ~ normal(z, 1);
}
