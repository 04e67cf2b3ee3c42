// `_rng` functions for scalar, vectorised, multivariate and discrete distributions in generated quantities.
data {
  int<lower=1> N;
  int<lower=2> K;
  vector[N] x;
}
parameters {
  real alpha;
  real<lower=0> sigma;
  simplex[K] theta;
  cholesky_factor_corr[K] L;
}
model {
  alpha ~ normal(0, 1);
  sigma ~ exponential(1);
  L ~ lkj_corr_cholesky(2);
}
generated quantities {
  array[N] real y_rep = normal_rng(alpha + x, sigma);
  real z = student_t_rng(3, alpha, sigma);
  array[N] int counts = poisson_log_rng(alpha + x);
  int cat = categorical_rng(theta);
  array[K] int multi = multinomial_rng(theta, 20);
  vector[K] w = dirichlet_rng(rep_vector(1, K));
  vector[K] mv = multi_normal_cholesky_rng(rep_vector(0, K), L);
  matrix[K, K] C = lkj_corr_rng(K, 2);
  int b = bernoulli_logit_rng(alpha);
  real u = uniform_rng(0, 1);
}
