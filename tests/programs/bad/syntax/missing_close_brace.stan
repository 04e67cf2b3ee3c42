// The model block is never closed: a `}` is missing at the end of the file.
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
