// A `profile` section whose body is not wrapped in braces.
parameters {
  real mu;
}
model {
  profile("prior") mu ~ normal(0, 1);
}
