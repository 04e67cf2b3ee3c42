// Assigning to a data variable in the model block.
data {
  real y;
}
parameters {
  real mu;
}
model {
  y = 2 * mu;
  y ~ normal(0, 1);
}
