// `2mu` is written for multiplication; Stan needs an explicit `2 * mu`.
data {
  real y;
}
parameters {
  real mu;
}
model {
  y ~ normal(2mu, 1);
}
