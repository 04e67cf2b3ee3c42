// target += with scalars, vectors, arrays and function results, and reading target().
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  target += normal_lpdf(mu | 0, 10);
  target += exponential_lpdf(sigma | 1);
  target += -log(sigma) * N;
  target += -0.5 * square((y - mu) / sigma);
  target += {0.0, 0.0};
  target += [0, 0];
  real before = target();
  target += normal_lupdf(y | mu, sigma) - normal_lupdf(y | mu, sigma);
}
generated quantities {
  real lp = normal_lpdf(y | mu, sigma);
}
