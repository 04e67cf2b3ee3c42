// A function declared ahead but never defined.
functions {
  real logistic_growth(real t, real r, real K);
}
data {
  int<lower=1> N;
  array[N] real t;
  vector[N] y;
}
parameters {
  real<lower=0> r;
  real<lower=0> K;
}
model {
  for (n in 1:N) {
    y[n] ~ normal(logistic_growth(t[n], r, K), 1);
  }
}
