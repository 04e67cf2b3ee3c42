// `lp__` is used as a variable to read the log density; Stan uses `target()`.
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
  print(lp__);
}
