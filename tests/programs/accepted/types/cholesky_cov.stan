// Square and rectangular Cholesky factors of covariance matrices.
data {
  int<lower=1> N;
  int<lower=1> K;
  int<lower=K> M;
  array[N] vector[K] y;
}
parameters {
  vector[K] mu;
  cholesky_factor_cov[K] L;
  cholesky_factor_cov[M, K] Lambda;
}
model {
  mu ~ normal(0, 5);
  for (n in 1:N) {
    y[n] ~ multi_normal_cholesky(mu, L);
  }
  to_vector(Lambda) ~ normal(0, 1);
}
generated quantities {
  cov_matrix[K] Sigma = multiply_lower_tri_self_transpose(L);
  matrix[M, M] loading_cov = Lambda * Lambda';
}
