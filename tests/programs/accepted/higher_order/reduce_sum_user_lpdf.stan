// reduce_sum whose partial sum function is itself a user `_lpdf`, sliced over an array of reals.
functions {
  real student_slice_lpdf(array[] real y_slice, int start, int end, real nu, real mu, real sigma) {
    return student_t_lupdf(y_slice | nu, mu, sigma);
  }
}
data {
  int<lower=1> N;
  array[N] real y;
}
parameters {
  real<lower=1> nu;
  real mu;
  real<lower=0> sigma;
}
model {
  nu ~ gamma(2, 0.1);
  target += reduce_sum(student_slice_lpdf, y, 1, nu, mu, sigma);
}
