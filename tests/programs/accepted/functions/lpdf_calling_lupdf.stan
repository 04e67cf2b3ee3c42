// User densities that call built-in `_lupdf` forms and other user densities, composed into a hurdle model.
functions {
  real positive_part_lpdf(real y, real mu, real sigma) {
    return lognormal_lupdf(y | mu, sigma);
  }
  real hurdle_lpdf(real y, real theta, real mu, real sigma) {
    if (y == 0) {
      return bernoulli_lpmf(1 | theta);
    }
    return bernoulli_lupmf(0 | theta) + positive_part_lpdf(y | mu, sigma);
  }
}
data {
  int<lower=0> N;
  array[N] real<lower=0> y;
}
parameters {
  real<lower=0, upper=1> theta;
  real mu;
  real<lower=0> sigma;
}
model {
  for (n in 1:N) {
    y[n] ~ hurdle(theta, mu, sigma);
  }
}
