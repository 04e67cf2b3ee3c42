// A covariance built in transformed data, factored with cholesky_decompose, used by
// multi_normal_cholesky; also multi_normal on a matrix-vector product.
transformed data {
  matrix[2, 2] S = [[1, 0.5], [0.5, 2]];
  matrix[2, 2] L = cholesky_decompose(S);
  matrix[2, 2] A = [[2, 0], [1, 1]];
  vector[2] y = [1.0, -0.5]';
}
parameters {
  vector[2] mu;
  vector[2] z;
}
model {
  mu ~ multi_normal_cholesky(rep_vector(0, 2), L);
  y ~ multi_normal(A * mu, S);
  z ~ normal(0, 1);
}
