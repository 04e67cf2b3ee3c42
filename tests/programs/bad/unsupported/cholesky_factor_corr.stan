// A constrained type not compiled yet: cholesky_factor_corr parameters.
parameters {
  cholesky_factor_corr[3] L;
}
model {
  L ~ lkj_corr_cholesky(2);
}
