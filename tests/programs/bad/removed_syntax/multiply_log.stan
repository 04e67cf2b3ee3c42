// Removed function `multiply_log`, now `lmultiply`.
parameters {
  real<lower=0> x;
}
model {
  target += multiply_log(2.0, x);
}
