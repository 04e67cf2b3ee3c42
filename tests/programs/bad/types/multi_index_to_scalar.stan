// A multi-index keeps a dimension: `beta[idx]` is a vector, not a real.
data {
  int<lower=1> K;
  array[2] int<lower=1, upper=K> idx;
}
parameters {
  vector[K] beta;
}
model {
  real b = beta[idx];
  beta ~ normal(0, 1);
  b ~ normal(0, 1);
}
