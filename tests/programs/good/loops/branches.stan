// if/else, the conditional operator and compound assignment inside a loop.
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  real acc = 0;
  for (n in 1:N) {
    if (y[n] > 0) {
      acc += normal_lpdf(y[n] | mu, sigma);
    } else {
      acc += normal_lpdf(y[n] | mu, n > 2 ? sigma : 2 * sigma);
    }
  }
  acc *= 1;
  target += acc;
  mu ~ normal(0, 5);
  sigma ~ normal(0, 2);
}
