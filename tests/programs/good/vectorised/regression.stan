// Vectorised sampling statements mixing containers and scalars, and a matrix-vector product.
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] X;
  vector[N] y;
}
parameters {
  real alpha;
  vector[K] beta;
  real<lower=0> sigma;
}
model {
  alpha ~ normal(0, 5);
  beta ~ normal(0, 2);
  sigma ~ student_t(3, 0, 2);
  y ~ normal(alpha + X * beta, sigma);
}
