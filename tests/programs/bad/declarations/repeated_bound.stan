// The same bound given twice.
parameters {
  real<lower=0, lower=1> sigma;
}
model {
  sigma ~ exponential(1);
}
