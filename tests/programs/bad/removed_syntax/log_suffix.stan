// The removed `_log` suffix of a density: `normal_log(y, mu, sigma)`.
data {
  vector[3] y;
}
parameters {
  real mu;
}
model {
  target += normal_log(y, mu, 1);
}
