// A program consisting of a data block alone; it only validates its input.
data {
  int<lower=0> N;
  array[N] real<lower=0> weights;
  simplex[3] proportions;
}
