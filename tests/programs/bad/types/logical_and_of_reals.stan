// Reals given to `&&`, which takes ints.
transformed data {
  int both = 1.5 && 0.5;
}
