// reduce_sum passes `sigma` (a real) to a partial sum whose extra argument is a vector.
functions {
  real partial_sum(array[] real slice, int start, int end, vector mu) {
    return normal_lpdf(slice | mu[start:end], 1);
  }
}
data {
  int<lower=1> N;
  array[N] real y;
}
parameters {
  real<lower=0> sigma;
}
model {
  target += reduce_sum(partial_sum, y, 1, sigma);
}
