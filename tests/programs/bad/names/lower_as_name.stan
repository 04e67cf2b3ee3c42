// `lower` is a reserved word (used in `<lower=...>`) and cannot be a variable name.
parameters {
  real mu;
}
model {
  real lower = -1;
  mu ~ normal(lower, 1);
}
