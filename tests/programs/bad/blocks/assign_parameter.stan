// Assigning to a parameter in the model block.
parameters {
  real mu;
}
model {
  mu = 1;
  mu ~ normal(0, 1);
}
