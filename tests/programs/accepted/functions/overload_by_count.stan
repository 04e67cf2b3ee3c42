// Overloading by number of arguments: a default-scale and an explicit-scale version.
functions {
  real standardise(real x, real mu, real sigma) {
    return (x - mu) / sigma;
  }
  real standardise(real x, real mu) {
    return standardise(x, mu, 1);
  }
  real standardise(real x) {
    return standardise(x, 0);
  }
}
data {
  real y;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  mu ~ normal(0, 1);
  sigma ~ exponential(1);
  target += -0.5 * square(standardise(y, mu, sigma)) - log(sigma);
  target += -0.5 * square(standardise(mu)) - 0.5 * square(standardise(sigma, 1));
}
