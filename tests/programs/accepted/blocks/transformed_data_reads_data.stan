// Transformed data reads data and earlier transformed data, and assigns only its own variables.
data {
  int<lower=1> N;
  vector[N] x;
  vector[N] y;
}
transformed data {
  real x_mean = mean(x);
  real x_sd = sd(x);
  vector[N] x_std = (x - x_mean) / x_sd;
  int N_half = N %/% 2;
  vector[N_half] y_first = y[1:N_half];
}
parameters {
  real alpha;
  real beta;
  real<lower=0> sigma;
}
model {
  y ~ normal(alpha + beta * x_std, sigma);
  y_first ~ normal(alpha, 10);
}
