// `upper` is a reserved word (used in `<upper=...>`) and cannot be a variable name.
data {
  real upper;
}
parameters {
  real<upper=upper> mu;
}
model {
  mu ~ normal(0, 1);
}
