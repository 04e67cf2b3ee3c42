// An array of reals cannot be stored in an array of ints.
data {
  int<lower=1> N;
  array[N] real y;
}
transformed data {
  array[N] int counts = y;
}
parameters {
  real<lower=0> lambda;
}
model {
  counts ~ poisson(lambda);
}
