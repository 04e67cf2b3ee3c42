// `k += 0.5` would store a real into an int.
transformed data {
  int k = 0;
  for (i in 1:10) {
    k += 0.5;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(k, 1);
}
