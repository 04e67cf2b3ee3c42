// A tuple unpacking assigns `i` and also uses it as an index on its left side.
transformed data {
  array[3] real x;
  int i = 1;
  (x[i], i) = (2.5, 3);
}
