// Gaussian-process covariance builtins: gp_exp_quad_cov, gp_matern32_cov, gp_matern52_cov, gp_exponential_cov, gp_periodic_cov, gp_dot_prod_cov, add_diag.
data {
  int<lower=1> N;
  array[N] real x;
  vector[N] y;
}
parameters {
  real<lower=0> alpha;
  real<lower=0> rho;
  real<lower=0> sigma;
}
model {
  matrix[N, N] K = gp_exp_quad_cov(x, alpha, rho)
                   + gp_matern32_cov(x, alpha, rho)
                   + gp_matern52_cov(x, alpha, rho)
                   + gp_exponential_cov(x, alpha, rho)
                   + gp_periodic_cov(x, alpha, rho, 2.0)
                   + gp_dot_prod_cov(x, sigma);
  matrix[N, N] L = cholesky_decompose(add_diag(K, square(sigma)));
  alpha ~ std_normal();
  rho ~ inv_gamma(5, 5);
  sigma ~ std_normal();
  y ~ multi_normal_cholesky(rep_vector(0, N), L);
}
