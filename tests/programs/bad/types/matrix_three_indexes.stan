// A matrix takes at most two indexes.
data {
  int<lower=1> N;
  matrix[N, 2] X;
}
parameters {
  real mu;
}
model {
  mu ~ normal(X[1, 2, 1], 1);
}
