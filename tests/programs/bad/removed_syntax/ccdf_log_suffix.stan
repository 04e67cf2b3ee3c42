// The removed `_ccdf_log` suffix: `exponential_ccdf_log` is now `exponential_lccdf`.
data {
  real<lower=0> censored_time;
}
parameters {
  real<lower=0> lambda;
}
model {
  lambda ~ gamma(2, 2);
  target += exponential_ccdf_log(censored_time, lambda);
}
