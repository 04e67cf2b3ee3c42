// For loops over integer ranges with expression bounds, nested loops and loops that run zero times.
data {
  int<lower=0> N;
  int<lower=1> K;
  array[N, K] real y;
}
transformed data {
  real acc = 0;
  for (n in 1:N) {
    for (k in 1:K) {
      acc += y[n, k];
    }
  }
  for (k in (K + 1):K) {
    acc += 1000;
  }
  for (i in 2:(N - 1)) {
    acc += y[i - 1, 1] - y[i + 1, 1];
  }
  for (j in -2:2) {
    acc += j;
  }
}
parameters {
  real mu;
}
model {
  for (n in 1:N)
    for (k in 1:K)
      y[n, k] ~ normal(mu, 1);
  mu ~ normal(acc, 10);
}
