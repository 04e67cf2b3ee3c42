// A truncated distribution `T[0, ]` (not supported yet).
data {
  real y;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
  y ~ normal(mu, 1) T[0, ];
}
