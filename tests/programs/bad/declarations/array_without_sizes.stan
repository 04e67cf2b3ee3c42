// An `array` declaration without its sizes in brackets.
data {
  int<lower=1> N;
  array real y;
}
parameters {
  real mu;
}
model {
  y ~ normal(mu, 1);
}
