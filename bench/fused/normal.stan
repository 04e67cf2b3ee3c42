// A vectorised normal: data y, a location per observation, one scale.
data {
  int<lower=1> N;
}
transformed data {
  vector[N] y;
  for (i in 1:N) {
    y[i] = sin(i);
  }
}
parameters {
  vector[N] mu;
  real<lower=0> sigma;
}
model {
  y ~ normal(mu, sigma);
}
