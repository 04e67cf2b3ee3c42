// `struct` is a reserved word (a C++ keyword) and cannot be used as a variable name.
parameters {
  real struct;
}
model {
  struct ~ normal(0, 1);
}
