// The GLM densities: normal_id_glm, bernoulli_logit_glm, poisson_log_glm, neg_binomial_2_log_glm, ordered_logistic_glm, categorical_logit_glm.
data {
  int<lower=1> N;
  int<lower=1> K;
  int<lower=2> C;
  matrix[N, K] X;
  vector[N] y;
  array[N] int<lower=0, upper=1> z;
  array[N] int<lower=0> n;
  array[N] int<lower=1, upper=C> cat;
}
parameters {
  real alpha;
  vector[K] beta;
  real<lower=0> sigma;
  real<lower=0> phi;
  ordered[C - 1] cuts;
  vector[C] alpha_c;
  matrix[K, C] beta_c;
}
model {
  y ~ normal_id_glm(X, alpha, beta, sigma);
  z ~ bernoulli_logit_glm(X, alpha, beta);
  n ~ poisson_log_glm(X, alpha, beta);
  n ~ neg_binomial_2_log_glm(X, alpha, beta, phi);
  cat ~ ordered_logistic_glm(X, beta, cuts);
  cat ~ categorical_logit_glm(X, alpha_c, beta_c);
}
