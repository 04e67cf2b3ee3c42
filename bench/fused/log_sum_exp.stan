// target += log_sum_exp of a parameter vector scaled by data.
data {
  int<lower=1> N;
}
transformed data {
  real a = 0.5;
}
parameters {
  vector[N] x;
}
model {
  target += log_sum_exp(x * a);
}
