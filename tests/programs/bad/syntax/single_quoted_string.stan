// A string in `print` uses single quotes; Stan strings use double quotes.
parameters {
  real mu;
}
model {
  print('mu = ', mu);
  mu ~ normal(0, 1);
}
