// After `~`, the user's densities are candidates by their names without the suffix.
functions {
  real half_cauchy_lpdf(real y, real s) {
    return cauchy_lpdf(y | 0, s) + log2();
  }
}
parameters {
  real<lower=0> tau;
}
model {
  tau ~ half_cauhcy(1);
}
