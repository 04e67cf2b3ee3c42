// An `_lpdf` call written with a comma instead of `|`.
data {
  real y;
}
parameters {
  real mu;
}
model {
  target += normal_lpdf(y, mu, 1);
}
