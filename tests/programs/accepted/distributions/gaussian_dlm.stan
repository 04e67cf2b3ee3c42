// gaussian_dlm_obs and the multivariate normal over a matrix of outcomes, plus multi_gp.
data {
  int<lower=1> r;
  int<lower=1> n;
  int<lower=1> T;
  matrix[r, T] y;
  matrix[n, r] F;
  matrix[n, n] G;
  vector[n] m0;
  cov_matrix[n] C0;
  cov_matrix[n] W;
  cov_matrix[T] Sigma_K;
}
parameters {
  vector<lower=0>[r] v;
  vector<lower=0>[r] w;
}
model {
  y ~ gaussian_dlm_obs(F, G, v, W, m0, C0);
  y ~ multi_gp(Sigma_K, w);
}
