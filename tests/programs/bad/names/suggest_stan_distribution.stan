// After `~`, every distribution of Stan is a candidate, also one vppl cannot compile yet.
parameters {
  real y;
}
model {
  y ~ skew_nromal(0, 1, 2);
}
