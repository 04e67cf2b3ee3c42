// An `int` declared as a parameter.
parameters {
  int k;
  real mu;
}
model {
  mu ~ normal(k, 1);
}
