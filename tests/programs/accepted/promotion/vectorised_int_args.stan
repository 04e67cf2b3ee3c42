// Vectorised densities accept int and int-array arguments in real positions, mixed with vectors and reals.
data {
  int<lower=1> N;
  array[N] int k;
  vector[N] y;
  int n;
}
parameters {
  real mu;
  vector<lower=0>[N] sigma;
}
model {
  y ~ normal(k, sigma);
  y ~ normal(mu, n + 1);
  k ~ normal(mu, 1);
  target += normal_lpdf(k | k, 1);
  n ~ normal(mu, sigma[1]);
  y ~ student_t(3, 0, 1);
  y ~ cauchy(k, 2);
}
