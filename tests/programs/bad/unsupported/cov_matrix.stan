// A constrained type not compiled yet: cov_matrix parameters.
parameters {
  cov_matrix[3] Sigma;
}
model {
  Sigma ~ inv_wishart(4, diag_matrix(rep_vector(1, 3)));
}
