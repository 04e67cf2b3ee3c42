// Wrong number of arguments: `normal_lpdf(y | mu)` without a scale.
data {
  real y;
}
parameters {
  real mu;
}
model {
  target += normal_lpdf(y | mu);
}
