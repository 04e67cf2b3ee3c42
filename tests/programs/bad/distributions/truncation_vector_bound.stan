// A truncation bound is a single int or real; `L` is a vector.
data {
  int<lower=1> N;
  real y;
  vector[N] L;
}
parameters {
  real mu;
}
model {
  y ~ normal(mu, 1) T[L, ];
}
