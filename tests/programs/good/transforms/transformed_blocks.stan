// Transformed data and transformed parameters, a matrix parameter and a vector-valued result.
data {
  int<lower=1> N;
  vector[N] x;
  vector[N] y;
}
transformed data {
  real x_mean = mean(x);
  vector[N] xc = x - x_mean;
}
parameters {
  real alpha;
  real beta;
  real<lower=0> log_sigma_scale;
  matrix[2, 2] z;
}
transformed parameters {
  vector[N] mu = alpha + beta * xc;
  real<lower=0> sigma = exp(-log_sigma_scale);
}
model {
  alpha ~ normal(0, 10);
  beta ~ normal(0, 10);
  log_sigma_scale ~ exponential(1);
  to_vector(z) ~ std_normal();
  y ~ normal(mu, sigma);
}
