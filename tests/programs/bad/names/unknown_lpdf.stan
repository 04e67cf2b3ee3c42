// Unknown density function: `nromal_lpdf` (letters swapped).
parameters {
  real mu;
}
model {
  target += nromal_lpdf(mu | 0, 1);
}
