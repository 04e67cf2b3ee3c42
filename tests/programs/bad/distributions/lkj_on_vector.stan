// `lkj_corr_cholesky` is a distribution over Cholesky factors of correlation matrices.
parameters {
  vector[3] rho;
}
model {
  rho ~ lkj_corr_cholesky(2);
}
