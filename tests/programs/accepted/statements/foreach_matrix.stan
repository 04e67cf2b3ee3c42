// Foreach over a matrix visits every element in column-major order; the loop variable is real.
data {
  int<lower=1> N;
  matrix[N, 2] X;
}
transformed data {
  real total = 0;
  for (x in X) {
    total += x;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(total, 10);
}
