// A row of a matrix is a row vector; a column vector cannot receive it.
data {
  matrix[3, 3] X;
}
transformed data {
  vector[3] first_row = X[1];
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(first_row), 1);
}
