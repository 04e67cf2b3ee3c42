// A local variable in the model block with the name of a parameter.
parameters {
  real sigma;
}
model {
  real sigma = 1;
  sigma ~ normal(0, 1);
}
