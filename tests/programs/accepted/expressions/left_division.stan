// Left division \ and right division / with matrices and vectors, and mixing with other operators.
data {
  int<lower=1> N;
  matrix[N, N] A;
  vector[N] b;
  row_vector[N] r;
  matrix[N, 2] B;
}
transformed data {
  vector[N] x = A \ b;
  matrix[N, 2] X = A \ B;
  row_vector[N] xr = r / A;
  matrix[2, N] Y = B' / A;
  vector[N] scaled = 2 * (A \ b);
  real quad = b' * (A \ b);
  vector[N] residual = A * x - b;
  matrix[N, N] inverse_ish = A \ diag_matrix(rep_vector(1, N));
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(x) + sum(X) + sum(xr) + sum(Y) + sum(scaled) + quad, 10);
  target += -dot_self(residual) - sum(inverse_ish) * 0;
}
