// A real variate for `poisson` and a missing scale for `normal`: both are reported.
data {
  int<lower=1> N;
  vector[N] counts;
}
parameters {
  real<lower=0> lambda;
  real mu;
}
model {
  mu ~ normal(0);
  counts ~ poisson(lambda);
}
