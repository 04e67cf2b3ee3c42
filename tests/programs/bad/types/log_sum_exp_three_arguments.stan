// `log_sum_exp` called with three arguments including a vector; it takes one container or two scalars.
data {
  vector[3] v;
}
transformed data {
  real s = log_sum_exp(1, v, 2);
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
