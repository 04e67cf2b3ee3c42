// Decompositions and solves: cholesky_decompose, inverse, inverse_spd, determinant, log_determinant, eigenvalues_sym, eigenvectors_sym, qr_thin, svd, mdivide_left_tri_low.
data {
  int<lower=1> K;
  cov_matrix[K] S;
  vector[K] b;
  matrix[K, K] A;
}
transformed data {
  matrix[K, K] L = cholesky_decompose(S);
  matrix[K, K] Si = inverse(S);
  matrix[K, K] Sspd = inverse_spd(S);
  real det = determinant(S);
  real ldet = log_determinant(S);
  real ldet_spd = log_determinant_spd(S);
  vector[K] evals = eigenvalues_sym(S);
  matrix[K, K] evecs = eigenvectors_sym(S);
  matrix[K, K] Qt = qr_thin_Q(A);
  matrix[K, K] Rt = qr_thin_R(A);
  vector[K] sv = singular_values(A);
  matrix[K, K] U = svd_U(A);
  vector[K] z = mdivide_left_tri_low(L, b);
  row_vector[K] zr = mdivide_right_tri_low(b', L);
  vector[K] sol = mdivide_left_spd(S, b);
  vector[K] sol2 = S \ b;
  row_vector[K] sol3 = b' / S;
  matrix[K, K] C2 = chol2inv(L);
}
parameters {
  vector[K] mu;
}
model {
  mu ~ multi_normal_cholesky(z, L);
}
