// `break` outside any loop.
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
  break;
}
