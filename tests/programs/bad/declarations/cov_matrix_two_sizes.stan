// `cov_matrix` takes one size (it is square), not two.
data {
  int<lower=1> K;
}
parameters {
  cov_matrix[K, K] Sigma;
}
model {
  Sigma ~ wishart(K + 1, diag_matrix(rep_vector(1, K)));
}
