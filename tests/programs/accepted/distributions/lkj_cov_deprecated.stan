// `lkj_cov` is deprecated: accepted with a warning, as stanc does.
parameters {
  vector[3] mu;
  vector<lower=0>[3] sigma;
  cov_matrix[3] S;
}
model {
  S ~ lkj_cov(mu, sigma, 2.0);
}
