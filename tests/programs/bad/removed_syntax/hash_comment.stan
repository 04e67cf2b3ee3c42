// Removed `#` comment syntax instead of `//`.
parameters {
  real mu;  # the location
}
model {
  mu ~ normal(0, 1);
}
