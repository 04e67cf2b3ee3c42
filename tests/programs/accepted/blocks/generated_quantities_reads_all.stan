// Generated quantities read data, transformed data, parameters and transformed parameters, and use _rng.
data {
  int<lower=1> N;
  vector[N] x;
  array[N] int<lower=0> y;
}
transformed data {
  vector[N] log_x = log1p(abs(x));
}
parameters {
  real alpha;
  real beta;
}
transformed parameters {
  vector[N] eta = alpha + beta * log_x;
}
model {
  alpha ~ normal(0, 2);
  beta ~ normal(0, 1);
  y ~ poisson_log(eta);
}
generated quantities {
  array[N] int y_rep = poisson_log_rng(eta);
  vector[N] log_lik;
  for (n in 1:N) {
    log_lik[n] = poisson_log_lpmf(y[n] | eta[n]);
  }
  real mean_x = mean(x);
  real slope_sign = beta > 0 ? 1 : -1;
  int total_rep = sum(y_rep);
}
