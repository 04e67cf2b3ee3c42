// A sampling statement in transformed data and `target +=` in generated quantities.
data {
  real y;
}
transformed data {
  y ~ normal(0, 1);
}
parameters {
  real mu;
}
model {
  mu ~ normal(y, 1);
}
generated quantities {
  target += normal_lpdf(y | mu, 1);
}
