// A number literal `1e` has an exponent marker with no digits after it.
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1e);
}
