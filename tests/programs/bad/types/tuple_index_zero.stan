// Tuple elements are numbered from 1: `.0` does not exist.
transformed data {
  tuple(real, int) pair = (1.5, 2);
  real first = pair.0;
}
