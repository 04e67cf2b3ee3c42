// Truncation bounds that are parameters or expressions, on continuous and integer outcomes.
data {
  int<lower=1> N;
  array[N] real y;
  array[N] int<lower=0, upper=20> n_events;
}
parameters {
  real<upper=min(y)> lower_limit;
  real<lower=max(y)> upper_limit;
  real mu;
  real<lower=0> rate;
}
model {
  lower_limit ~ normal(min(y) - 1, 1);
  upper_limit ~ normal(max(y) + 1, 1);
  mu ~ normal(0, 5);
  rate ~ exponential(0.1);
  for (n in 1:N) {
    y[n] ~ normal(mu, 1) T[lower_limit, upper_limit];
    n_events[n] ~ poisson(rate) T[, 20];
    n_events[n] ~ poisson(rate) T[0, 2 * 10];
  }
}
