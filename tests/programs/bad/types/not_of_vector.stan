// Logical negation `!` applied to a vector; it is only defined for int and real.
data {
  vector[3] v;
}
transformed data {
  vector[3] w = !v;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
