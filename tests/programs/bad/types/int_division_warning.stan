// `sum(y) / N` divides two ints, so the mean is truncated (a warning, not an error).
data {
  int<lower=1> N;
  array[N] int<lower=0> y;
}
transformed data {
  real y_mean = sum(y) / N;
}
parameters {
  real<lower=0> lambda;
}
model {
  lambda ~ normal(y_mean, 1);
  y ~ poisson(lambda);
}
