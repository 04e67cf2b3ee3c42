// `jacobian +=` belongs in transformed parameters (Stan 2.36), not in the model block.
parameters {
  real<lower=0> sigma;
}
model {
  jacobian += log(sigma);
  sigma ~ exponential(1);
}
