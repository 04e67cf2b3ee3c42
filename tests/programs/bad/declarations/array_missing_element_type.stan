// An `array` declaration without its element type.
data {
  int<lower=1> N;
  array[N] y;
}
parameters {
  real mu;
}
model {
  y ~ normal(mu, 1);
}
