// Local variables in the model block, including sized containers and locals inside loops.
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] X;
  vector[N] y;
}
parameters {
  vector[K] beta;
  real<lower=0> sigma;
}
model {
  vector[N] mu = X * beta;
  real prior_scale = 2.5;
  matrix[K, K] I = diag_matrix(rep_vector(1, K));
  array[N] real resid;
  for (n in 1:N) {
    real r = y[n] - mu[n];
    resid[n] = r;
  }
  beta ~ multi_normal(rep_vector(0, K), square(prior_scale) * I);
  sigma ~ exponential(1);
  resid ~ normal(0, sigma);
}
