// `offset` is a reserved word (used in `<offset=...>`) and cannot be a variable name.
data {
  real offset;
}
parameters {
  real mu;
}
model {
  mu ~ normal(offset, 1);
}
