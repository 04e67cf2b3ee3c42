// The constraint is written after the variable name; Stan writes `real<lower=0> sigma;`.
parameters {
  real sigma<lower=0>;
}
model {
  sigma ~ exponential(1);
}
