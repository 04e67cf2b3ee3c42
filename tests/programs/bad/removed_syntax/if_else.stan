// Removed function `if_else` instead of the conditional operator.
data {
  int<lower=0, upper=1> flag;
}
parameters {
  real mu;
}
model {
  mu ~ normal(if_else(flag, 1.0, 0.0), 1);
}
