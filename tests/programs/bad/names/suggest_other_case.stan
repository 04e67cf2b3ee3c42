// A name written in other case is suggested as declared.
data {
  int N;
  cov_matrix[N] Sigma;
}
parameters {
  vector[N] mu;
}
model {
  mu ~ multi_normal(rep_vector(0, N), sigma);
}
