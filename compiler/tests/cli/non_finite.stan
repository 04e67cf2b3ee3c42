data {
  int N;
  vector[N] y;
  array[N] real x;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  mu ~ normal(0, 10);
  sigma ~ exponential(1);
  y ~ normal(mu + x[1], sigma);
}
