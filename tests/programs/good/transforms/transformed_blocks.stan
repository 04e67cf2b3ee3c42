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
  real<lower=0> s;
  matrix[2, 2] z;
}
transformed parameters {
  vector[N] mu = alpha + beta * xc;
  real<lower=0> sigma = 0.5 * s;
}
model {
  alpha ~ normal(0, 10);
  beta ~ normal(0, 10);
  s ~ exponential(1);
  for (i in 1:2) {
    z[i] ~ std_normal();
  }
  y ~ normal(mu, sigma);
}
