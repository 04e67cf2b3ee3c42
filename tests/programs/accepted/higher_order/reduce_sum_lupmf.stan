// reduce_sum over a user mass function named with `_lupmf` (its constants dropped).
functions {
  real partial_sum_lpmf(array[] int slice, int start, int end, vector lambda) {
    return poisson_lupmf(slice | lambda[start:end]);
  }
}
data {
  int<lower=1> N;
  array[N] int<lower=0> y;
}
parameters {
  vector<lower=0>[N] lambda;
}
model {
  lambda ~ exponential(1);
  target += reduce_sum(partial_sum_lupmf, y, 1, lambda);
}
