// `var` is a reserved word and cannot be used as a variable name.
data {
  real var;
}
parameters {
  real mu;
}
model {
  mu ~ normal(var, 1);
}
