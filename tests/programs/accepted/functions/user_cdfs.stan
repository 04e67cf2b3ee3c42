// User-defined `_lcdf` and `_lccdf` alongside an `_lpdf`, used for censored observations.
functions {
  real expo_lpdf(real y, real rate) {
    return log(rate) - rate * y;
  }
  real expo_lcdf(real y, real rate) {
    return log1m_exp(-rate * y);
  }
  real expo_lccdf(real y, real rate) {
    return -rate * y;
  }
}
data {
  int<lower=0> N;
  array[N] real<lower=0> t;
  real<lower=0> t_max;
  int<lower=0> n_censored;
  real<lower=0> t_min;
}
parameters {
  real<lower=0> rate;
}
model {
  rate ~ gamma(1, 1);
  for (n in 1:N) {
    t[n] ~ expo(rate);
  }
  target += n_censored * expo_lccdf(t_max | rate);
  target += expo_lcdf(t_min | rate);
}
