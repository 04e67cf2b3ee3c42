// Two bounds without a comma between them.
parameters {
  real<lower=0 upper=1> theta;
}
model {
  theta ~ beta(2, 2);
}
