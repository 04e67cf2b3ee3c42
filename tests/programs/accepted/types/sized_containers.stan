// Vector, row vector and matrix sizes given by arithmetic expressions over data.
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] X;
}
transformed data {
  int P = K + 1;
  vector[N * 2] doubled = append_row(rep_vector(0, N), rep_vector(1, N));
  row_vector[P - 1] means;
  matrix[N, K + 1] X1 = append_col(rep_vector(1, N), X);
  for (k in 1:K) {
    means[k] = mean(col(X, k));
  }
}
parameters {
  vector[K + 1] beta;
  real<lower=0> sigma;
}
model {
  beta ~ normal(0, 2);
  sigma ~ exponential(1);
  doubled[1:N] ~ normal(X1 * beta, sigma);
}
generated quantities {
  row_vector[max(N, K)] padded = rep_row_vector(0, max(N, K));
}
