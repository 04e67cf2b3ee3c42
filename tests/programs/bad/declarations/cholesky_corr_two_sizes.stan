// `cholesky_factor_corr` takes one size, not two.
data {
  int<lower=1> K;
}
parameters {
  cholesky_factor_corr[K, K] L;
}
model {
  L ~ lkj_corr_cholesky(2);
}
