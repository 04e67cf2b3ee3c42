// Unpacking into a data variable from transformed data.
data {
  real a;
}
transformed data {
  real b;
  (a, b) = (1.0, 2.0);
}
