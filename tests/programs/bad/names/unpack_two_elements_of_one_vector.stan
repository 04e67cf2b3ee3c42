// Two elements of one vector on the left of a tuple unpacking: Stan cannot tell them apart.
transformed data {
  vector[2] v;
  (v[1], v[2]) = (1.0, 2.0);
}
