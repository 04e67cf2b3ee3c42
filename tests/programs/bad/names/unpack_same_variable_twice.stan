// One variable appears twice on the left of a tuple unpacking.
transformed data {
  tuple(real, real) t = (1.5, 2.5);
  real a;
  (a, a) = t;
}
