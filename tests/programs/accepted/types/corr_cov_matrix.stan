// Correlation and covariance matrix parameters and a covariance matrix declared as data.
data {
  int<lower=1> N;
  int<lower=2> D;
  array[N] vector[D] y;
  cov_matrix[D] prior_scale;
}
parameters {
  vector[D] mu;
  corr_matrix[D] Omega;
  cov_matrix[D] Sigma;
}
model {
  Omega ~ lkj_corr(2);
  Sigma ~ inv_wishart(D + 1, prior_scale);
  mu ~ normal(0, 10);
  for (n in 1:N) {
    y[n] ~ multi_normal(mu, Sigma);
  }
}
generated quantities {
  corr_matrix[D] R = Omega;
  cov_matrix[D] S = quad_form_diag(Omega, sqrt(diagonal(Sigma)));
}
