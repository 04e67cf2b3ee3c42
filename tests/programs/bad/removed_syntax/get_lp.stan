// Removed function `get_lp()` instead of `target()`.
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
  print(get_lp());
}
