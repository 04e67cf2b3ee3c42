// Vectorised multi_normal_cholesky over an array of vectors (y is array[N] vector[D]).
data {
  int<lower=1> N;
  int<lower=2> D;
  array[N] vector[D] y;
}
parameters {
  vector[D] mu;
  cholesky_factor_corr[D] L_Omega;
  vector<lower=0>[D] tau;
}
model {
  L_Omega ~ lkj_corr_cholesky(2);
  tau ~ cauchy(0, 2.5);
  mu ~ normal(0, 5);
  y ~ multi_normal_cholesky(mu, diag_pre_multiply(tau, L_Omega));
}
generated quantities {
  corr_matrix[D] Omega = multiply_lower_tri_self_transpose(L_Omega);
}
