// A function returning a matrix: squared-exponential covariance built element by element.
functions {
  matrix sq_exp_cov(array[] real x, real alpha, real rho, real jitter) {
    int n = size(x);
    matrix[n, n] K;
    for (i in 1:n) {
      K[i, i] = square(alpha) + jitter;
      for (j in (i + 1):n) {
        K[i, j] = square(alpha) * exp(-0.5 * square((x[i] - x[j]) / rho));
        K[j, i] = K[i, j];
      }
    }
    return K;
  }
}
data {
  int<lower=1> N;
  array[N] real x;
  vector[N] y;
}
parameters {
  real<lower=0> alpha;
  real<lower=0> rho;
}
model {
  matrix[N, N] L = cholesky_decompose(sq_exp_cov(x, alpha, rho, 1e-9));
  alpha ~ std_normal();
  rho ~ inv_gamma(5, 5);
  y ~ multi_normal_cholesky(rep_vector(0, N), L);
}
