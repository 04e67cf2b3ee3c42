// A tuple of two has elements `.1` and `.2`.
data {
  tuple(real, int) pair;
}
transformed data {
  real third = pair.3;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
