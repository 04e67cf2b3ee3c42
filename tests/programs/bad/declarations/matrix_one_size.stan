// A `matrix` needs two sizes, rows and columns.
data {
  int<lower=1> N;
  matrix[N] X;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
