// `i++` is used to increment; Stan writes `i += 1`.
transformed data {
  int i = 0;
  while (i < 10) {
    i++;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
