// Names ending in `__` are reserved for the compiler and cannot be used for variables.
parameters {
  real mu__;
}
model {
  mu__ ~ normal(0, 1);
}
