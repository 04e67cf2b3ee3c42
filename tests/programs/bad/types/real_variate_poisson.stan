// A real variate for a discrete distribution: poisson needs int counts.
data {
  real y;
}
parameters {
  real<lower=0> lambda;
}
model {
  lambda ~ gamma(2, 1);
  y ~ poisson(lambda);
}
