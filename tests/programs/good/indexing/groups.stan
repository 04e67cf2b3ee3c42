// Group effects picked with a multi-index `a[g]`, and a slice `v[2:4]`.
data {
  int<lower=1> N;
  int<lower=1> G;
  array[N] int<lower=1, upper=G> g;
  vector[N] y;
}
parameters {
  vector[G] a;
  vector[5] v;
  real<lower=0> sigma;
}
model {
  a ~ normal(0, 2);
  v[1] ~ normal(0, 1);
  v[2:4] ~ normal(1, 1);
  v[5] ~ normal(-1, 1);
  sigma ~ exponential(1);
  y ~ normal(a[g] + sum(v[2:4]) / 3, sigma);
}
