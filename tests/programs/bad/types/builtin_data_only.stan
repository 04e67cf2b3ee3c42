// `to_int` takes data only: a parameter has no integer value to take.
parameters {
  real mu;
}
model {
  int k = to_int(mu);
  mu ~ normal(k, 1);
}
