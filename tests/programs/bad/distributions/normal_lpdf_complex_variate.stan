// `normal_lpdf` given a complex variate; it is defined for real arguments only.
data {
  complex z;
}
parameters {
  real mu;
}
model {
  target += normal_lpdf(z | mu, 1);
}
