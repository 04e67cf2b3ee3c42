// Tuple unpacking with a compound operator.
transformed data {
  tuple(real, real) t = (1.5, 2.5);
  real a = 0;
  real b = 0;
  (a, b) += t;
}
