// `fabs` was removed from Stan in 2.33; vppl accepts it with warning W1002 (use `abs`).
data {
  real x;
}
parameters {
  real mu;
}
model {
  mu ~ normal(fabs(x), 1);
}
