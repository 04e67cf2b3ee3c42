// Priors on correlation and covariance matrices: lkj_corr, lkj_corr_cholesky, wishart, inv_wishart and their Cholesky forms.
data {
  int<lower=2> D;
  cov_matrix[D] S;
}
transformed data {
  matrix[D, D] L_S = cholesky_decompose(S);
}
parameters {
  corr_matrix[D] Omega;
  cholesky_factor_corr[D] L_Omega;
  cov_matrix[D] W;
  cov_matrix[D] IW;
  cholesky_factor_cov[D] L_W;
}
model {
  Omega ~ lkj_corr(2);
  L_Omega ~ lkj_corr_cholesky(1.5);
  W ~ wishart(D + 1, S);
  IW ~ inv_wishart(D + 1, S);
  L_W ~ wishart_cholesky(D + 1, L_S);
  L_W ~ inv_wishart_cholesky(D + 2, L_S);
}
