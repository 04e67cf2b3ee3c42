// A loop variable named like a data variable.
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  real mu;
}
model {
  for (N in 1:N) {
    y[N] ~ normal(mu, 1);
  }
}
