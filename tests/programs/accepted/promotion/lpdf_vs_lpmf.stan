// The outcome type selects the density: ints give `_lpmf` families, reals `_lpdf`; user mass and density functions likewise.
functions {
  real shifted_poisson_lpmf(int k, real lambda) {
    return poisson_lpmf(k - 1 | lambda);
  }
  real half_normal_lpdf(real y, real sigma) {
    return normal_lpdf(y | 0, sigma) + log(2);
  }
}
data {
  int<lower=1> k;
  real<lower=0> y;
  array[3] int<lower=0> counts;
}
parameters {
  real<lower=0> lambda;
  real<lower=0> sigma;
}
model {
  k ~ shifted_poisson(lambda);
  y ~ half_normal(sigma);
  counts ~ poisson(lambda);
  target += poisson_lpmf(counts | lambda);
  target += exponential_lpdf(y | lambda);
  target += shifted_poisson_lpmf(k | lambda) + half_normal_lpdf(y | sigma);
}
