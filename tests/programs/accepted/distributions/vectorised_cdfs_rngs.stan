// Vectorised cumulative functions and rngs: `_lcdf`/`_lccdf` over vectors with mixed scalar/vector parameters, and array-returning rngs.
data {
  int<lower=1> N;
  vector[N] lower_limit;
  vector[N] upper_limit;
  array[N] int<lower=0> k;
}
parameters {
  real mu;
  vector<lower=0>[N] sigma;
  real<lower=0> lambda;
}
model {
  target += normal_lcdf(upper_limit | mu, sigma);
  target += normal_lccdf(lower_limit | mu, 1);
  target += std_normal_lpdf(lower_limit);
  target += logistic_lccdf(upper_limit | mu, sigma);
  target += poisson_lccdf(k | lambda);
}
generated quantities {
  array[N] real draws = normal_rng(mu, sigma);
  array[N] real g = gamma_rng(sigma, 1);
  array[N] int counts = poisson_rng(rep_vector(lambda, N));
  array[N] int flips = bernoulli_rng(inv_logit(lower_limit));
}
