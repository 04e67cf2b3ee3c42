// Missing comma between two arguments of a distribution.
parameters {
  real mu;
}
model {
  mu ~ normal(0 1);
}
