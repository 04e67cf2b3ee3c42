// `print()` needs at least one argument.
parameters {
  real mu;
}
model {
  print();
  mu ~ normal(0, 1);
}
