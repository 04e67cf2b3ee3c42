// A complex value cannot be stored in a real.
transformed data {
  complex z = 3 + 2i;
  real x = z;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
