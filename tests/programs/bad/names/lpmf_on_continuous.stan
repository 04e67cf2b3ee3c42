// `normal` is a density over reals: its log density is `normal_lpdf`.
data {
  real y;
}
parameters {
  real mu;
}
model {
  target += normal_lpmf(y | mu, 1);
}
