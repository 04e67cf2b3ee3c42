// Three independent type errors in one block: each is reported.
data {
  int<lower=1> N;
  vector[N] x;
}
transformed data {
  real x_mean = x;
  int half = N / 2.0;
  real first = x[1, 1];
}
parameters {
  real mu;
}
model {
  mu ~ normal(x_mean, 1);
}
