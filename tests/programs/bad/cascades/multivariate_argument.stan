// A misspelt covariance matrix of `multi_normal`: only the unknown name is reported.
data {
  int K;
  vector[K] y;
  cov_matrix[K] Sigma;
}
parameters {
  vector[K] mu;
}
model {
  y ~ multi_normal(mu, Sgima);
}
