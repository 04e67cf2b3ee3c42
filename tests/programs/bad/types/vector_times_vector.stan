// `v * v` multiplies two column vectors; elementwise `.*` or the dot product `v' * v` was meant.
data {
  vector[3] v;
}
transformed data {
  vector[3] sq = v * v;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
