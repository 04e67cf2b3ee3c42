// `_lupdf` may only be used in the model block or inside a user-defined density.
data {
  real y;
}
parameters {
  real mu;
}
transformed parameters {
  real ll = normal_lupdf(y | mu, 1);
}
model {
  mu ~ normal(0, 1);
}
