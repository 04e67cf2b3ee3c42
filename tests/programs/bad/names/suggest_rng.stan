// A misspelt random number generator is suggested the right one.
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
generated quantities {
  real y = normal_rgn(mu, 1);
}
