// Truncated distributions: a half-normal likelihood and a count truncated on both sides.
data {
  int N;
  vector[N] y;
  array[N] int k;
}
parameters {
  real mu;
  real<lower=0> sigma;
  real<lower=0, upper=1> theta;
}
model {
  mu ~ normal(0, 1);
  sigma ~ exponential(1);
  for (n in 1:N) {
    y[n] ~ normal(mu, sigma) T[0, ];
    k[n] ~ binomial(10, theta) T[1, 9];
  }
}
