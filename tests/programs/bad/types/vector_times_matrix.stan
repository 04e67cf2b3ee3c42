// A column vector multiplied by a matrix on its left; a row_vector (`v'`) was meant.
data {
  vector[3] v;
  matrix[3, 3] A;
}
transformed data {
  row_vector[3] r = v * A;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
