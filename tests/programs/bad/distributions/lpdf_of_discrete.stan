// `poisson` is a mass function over ints: its log probability is `poisson_lpmf`.
data {
  int<lower=0> k;
}
parameters {
  real<lower=0> lambda;
}
model {
  target += poisson_lpdf(k | lambda);
}
