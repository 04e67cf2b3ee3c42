// `_lcdf` needs a `|` after its first argument, like `_lpdf`.
data {
  real y;
}
parameters {
  real mu;
}
model {
  target += normal_lcdf(y, mu, 1);
}
