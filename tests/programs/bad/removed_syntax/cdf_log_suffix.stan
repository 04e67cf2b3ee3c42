// The removed `_cdf_log` suffix: `normal_cdf_log` is now `normal_lcdf`.
parameters {
  real mu;
}
model {
  target += normal_cdf_log(0.5, mu, 1);
}
