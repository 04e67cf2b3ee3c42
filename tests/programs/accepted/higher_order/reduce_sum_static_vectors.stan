// reduce_sum_static slicing an array of vectors (a multivariate likelihood split by rows).
functions {
  real partial_mvn(array[] vector y_slice, int start, int end, vector mu, matrix L) {
    return multi_normal_cholesky_lpdf(y_slice | mu, L);
  }
}
data {
  int<lower=1> N;
  int<lower=1> D;
  array[N] vector[D] y;
}
parameters {
  vector[D] mu;
  cholesky_factor_corr[D] L;
}
model {
  mu ~ normal(0, 5);
  L ~ lkj_corr_cholesky(2);
  target += reduce_sum_static(partial_mvn, y, 16, mu, L);
}
