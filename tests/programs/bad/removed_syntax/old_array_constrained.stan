// Removed array syntax with a constraint: `real<lower=0> sigma[K];`.
data {
  int<lower=1> K;
}
parameters {
  real<lower=0> sigma[K];
}
model {
  sigma ~ exponential(1);
}
