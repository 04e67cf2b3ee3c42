// A user `_lpdf` with matching `_lcdf`/`_lccdf` can be truncated with `T[,]`.
functions {
  real logistic2_lpdf(real y, real mu, real s) {
    return logistic_lpdf(y | mu, s);
  }
  real logistic2_lcdf(real y, real mu, real s) {
    return logistic_lcdf(y | mu, s);
  }
  real logistic2_lccdf(real y, real mu, real s) {
    return logistic_lccdf(y | mu, s);
  }
}
data {
  int<lower=0> N;
  array[N] real<lower=0, upper=10> y;
}
parameters {
  real mu;
  real<lower=0> s;
}
model {
  for (n in 1:N) {
    y[n] ~ logistic2(mu, s) T[0, 10];
  }
}
