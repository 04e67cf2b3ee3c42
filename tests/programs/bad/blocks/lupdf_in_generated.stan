// `_lupdf` drops constants, which is only meaningful in the model block.
data {
  real y;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
generated quantities {
  real log_lik = normal_lupdf(y | mu, 1);
}
