// Truncation `T[,]` applies to univariate distributions only.
data {
  vector[2] y;
  cov_matrix[2] Sigma;
}
parameters {
  vector[2] mu;
}
model {
  y ~ multi_normal(mu, Sigma) T[0, ];
}
