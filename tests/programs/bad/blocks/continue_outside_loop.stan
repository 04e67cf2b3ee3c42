// `continue` outside any loop.
data {
  real y;
}
parameters {
  real mu;
}
model {
  if (is_nan(y)) {
    continue;
  }
  y ~ normal(mu, 1);
}
