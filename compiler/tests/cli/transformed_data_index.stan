data {
  int N;
  vector[N] y;
}
transformed data {
  real last = y[N + 1];
}
parameters {
  real mu;
}
model {
  y ~ normal(mu, 1);
}
