// Unpacking a pair into three variables.
transformed data {
  tuple(real, int) t = (1.5, 2);
  real a;
  int b;
  real c;
  (a, b, c) = t;
}
