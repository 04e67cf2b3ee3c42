// The number of trials of `binomial` is an int.
data {
  int<lower=0> k;
  real<lower=0> n;
}
parameters {
  real<lower=0, upper=1> theta;
}
model {
  k ~ binomial(n, theta);
}
