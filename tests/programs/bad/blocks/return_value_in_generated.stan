// `return` with a value outside any function.
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
generated quantities {
  real z = normal_rng(mu, 1);
  return z;
}
