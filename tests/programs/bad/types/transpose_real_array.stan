// Transpose `'` applied to an array of reals; it is only defined for vectors and matrices.
data {
  array[3] real a;
}
transformed data {
  row_vector[3] r = a';
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
