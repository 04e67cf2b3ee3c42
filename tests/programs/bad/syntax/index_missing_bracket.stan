// An index that is never closed: `y[n` instead of `y[n]`.
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  real mu;
}
model {
  for (n in 1:N) {
    y[n ~ normal(mu, 1);
  }
}
