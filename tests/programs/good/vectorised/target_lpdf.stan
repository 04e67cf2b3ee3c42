// `target +=` with vectorised _lpdf and _lpmf calls on arrays, vectors and scalars.
data {
  int<lower=1> N;
  array[N] int<lower=0> counts;
  vector<lower=0>[N] w;
}
parameters {
  real<lower=0> lambda;
  real<lower=0> shape;
  real log_scale;
}
model {
  target += gamma_lpdf(lambda | 2, 0.5);
  target += exponential_lpdf(shape | 1);
  target += std_normal_lpdf(log_scale);
  target += poisson_lpmf(counts | lambda);
  target += gamma_lpdf(w | shape, exp(log_scale));
}
