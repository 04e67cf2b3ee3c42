// Multivariate normals and Student-t: multi_normal and multi_normal_cholesky per row; multi_normal_prec and multi_student_t vectorised.
data {
  int<lower=1> N;
  int<lower=1> D;
  array[N] vector[D] y;
  cov_matrix[D] Sigma;
}
transformed data {
  matrix[D, D] L_data = cholesky_decompose(Sigma);
  matrix[D, D] Omega = inverse_spd(Sigma);
}
parameters {
  vector[D] mu;
  real<lower=1> nu;
}
model {
  for (n in 1:N) {
    y[n] ~ multi_normal(mu, Sigma);
    y[n] ~ multi_normal_cholesky(mu, L_data);
  }
  y ~ multi_normal_prec(mu, Omega);
  y ~ multi_student_t(nu, mu, Sigma);
  y ~ multi_student_t_cholesky(nu, mu, L_data);
}
