// `target` is read without parentheses; the current log density is `target()`.
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
  print(target);
}
