// reduce_sum over a sliced real array with shared vector and scalar arguments.
functions {
  real partial_normal(array[] real y_slice, int start, int end, vector mu, real sigma) {
    return normal_lpdf(y_slice | mu[start:end], sigma);
  }
}
data {
  int<lower=1> N;
  array[N] real y;
  int<lower=1> grainsize;
}
parameters {
  vector[N] mu;
  real<lower=0> sigma;
}
model {
  mu ~ normal(0, 1);
  sigma ~ exponential(1);
  target += reduce_sum(partial_normal, y, grainsize, mu, sigma);
}
