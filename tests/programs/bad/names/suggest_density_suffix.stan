// A density called without its suffix is suggested with it.
parameters {
  real mu;
}
model {
  target += normal(mu | 0, 1);
}
