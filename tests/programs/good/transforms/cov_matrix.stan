// Covariance and correlation matrices and a Cholesky factor of a covariance, as parameters.
parameters {
  cov_matrix[3] Sigma;
  corr_matrix[3] Omega;
  cholesky_factor_cov[3] L;
}
model {
  Sigma ~ inv_wishart(6, diag_matrix(rep_vector(1, 3)));
  Omega ~ lkj_corr(2);
  L[1, 1] ~ lognormal(0, 1);
  L[2, 2] ~ lognormal(0, 1);
  L[3, 3] ~ lognormal(0, 1);
  L[2, 1] ~ normal(0, 1);
  L[3, 1] ~ normal(0, 1);
  L[3, 2] ~ normal(0, 1);
}
