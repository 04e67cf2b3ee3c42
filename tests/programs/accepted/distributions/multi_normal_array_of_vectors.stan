// Vectorised multivariate normals: an array of vector outcomes against one mean and against an array of means.
data {
  int<lower=1> N;
  int<lower=1> D;
  array[N] vector[D] y;
  array[N] row_vector[D] r;
  cov_matrix[D] Sigma;
}
transformed data {
  matrix[D, D] L = cholesky_decompose(Sigma);
}
parameters {
  vector[D] mu;
  array[N] vector[D] mu_each;
}
model {
  y ~ multi_normal(mu, Sigma);
  y ~ multi_normal(mu_each, Sigma);
  r ~ multi_normal(mu, Sigma);
  y ~ multi_normal_cholesky(mu, L);
  target += multi_normal_lpdf(y | mu, Sigma);
  y[1] ~ multi_normal(mu_each, Sigma);
}
