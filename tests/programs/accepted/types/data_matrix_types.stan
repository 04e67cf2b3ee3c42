// Constrained matrix types read as data and used in transformed data.
data {
  int<lower=2> D;
  corr_matrix[D] R;
  cholesky_factor_cov[D] L_data;
  row_stochastic_matrix[D, D] transition;
  simplex[D] initial;
}
transformed data {
  cholesky_factor_corr[D] L_R = cholesky_decompose(R);
  row_vector[D] after_one = initial' * transition;
  real ld = log_determinant(L_data * L_data');
}
parameters {
  vector[D] z;
}
model {
  z ~ multi_normal_cholesky(rep_vector(0, D), L_R);
  target += -0.5 * ld + sum(after_one);
}
