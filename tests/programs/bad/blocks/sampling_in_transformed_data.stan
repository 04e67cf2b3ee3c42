// A sampling statement in transformed data.
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
