// Truncated distributions with both bounds, only a lower bound and only an upper bound.
data {
  int<lower=1> N;
  array[N] real<lower=0, upper=10> y;
  array[N] int<lower=1> counts;
  array[N] real<upper=5> below;
  real L;
}
parameters {
  real mu;
  real<lower=0> sigma;
  real<lower=0> lambda;
  real<lower=L> lo;
}
model {
  mu ~ normal(0, 10);
  sigma ~ normal(0, 5) T[0, ];
  lambda ~ gamma(2, 1);
  lo ~ normal(L + 1, 1) T[L, ];
  for (n in 1:N) {
    y[n] ~ normal(mu, sigma) T[0, 10];
    counts[n] ~ poisson(lambda) T[1, ];
    below[n] ~ normal(mu, sigma) T[, 5];
  }
}
