// `target +=` in the transformed data block.
data {
  real y;
}
transformed data {
  target += y;
}
parameters {
  real mu;
}
model {
  mu ~ normal(y, 1);
}
