// `bernoulli` outcomes are ints; a vector of 0/1 reals is not accepted.
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  real<lower=0, upper=1> theta;
}
model {
  y ~ bernoulli(theta);
}
