// `==` (comparison) used where an assignment `=` was meant.
parameters {
  real mu;
}
model {
  real m;
  m == 2 * mu;
  m ~ normal(0, 1);
}
