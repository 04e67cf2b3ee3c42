// `=` is used in an if condition; comparison is `==`.
data {
  int K;
}
parameters {
  real mu;
}
model {
  if (K = 1) {
    mu ~ normal(0, 1);
  }
}
