// Vectorised calls mixing scalars, vectors, row vectors and real arrays as outcome and parameters.
data {
  int<lower=1> N;
  vector[N] y;
  array[N] real y_arr;
  row_vector[N] y_row;
  vector[N] x;
}
parameters {
  real alpha;
  real beta;
  vector<lower=0>[N] sigma_each;
  real<lower=0> sigma;
  array[N] real mu_arr;
}
model {
  y ~ normal(alpha + beta * x, sigma);
  y ~ normal(alpha, sigma_each);
  y_arr ~ normal(mu_arr, sigma);
  y_row ~ normal(x', sigma_each');
  y_arr ~ student_t(5, alpha + beta * x, sigma_each);
  mu_arr ~ normal(0, 1);
  sigma_each ~ lognormal(0, sigma);
  target += normal_lpdf(y | mu_arr, 1);
}
