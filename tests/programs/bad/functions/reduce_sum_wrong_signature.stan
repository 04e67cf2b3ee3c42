// The partial-sum function of `reduce_sum` must take the slice, then `start` and `end`.
functions {
  real partial_sum(array[] real y_slice, real mu, real sigma) {
    return normal_lpdf(y_slice | mu, sigma);
  }
}
data {
  int<lower=1> N;
  array[N] real y;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  target += reduce_sum(partial_sum, y, 1, mu, sigma);
}
