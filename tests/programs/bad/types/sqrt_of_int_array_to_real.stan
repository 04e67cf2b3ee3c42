// `sqrt` of an array is an array: it cannot be stored in a single real.
data {
  array[3] int n;
}
transformed data {
  real s = sqrt(n);
}
parameters {
  real mu;
}
model {
  mu ~ normal(s, 1);
}
