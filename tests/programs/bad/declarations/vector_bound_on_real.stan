// A scalar `real` declared with a vector as its lower bound.
data {
  vector[3] v;
}
parameters {
  real<lower=v> x;
}
model {
  x ~ normal(0, 1);
}
