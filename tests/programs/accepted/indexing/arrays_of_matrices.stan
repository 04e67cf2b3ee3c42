// Indexing arrays of matrices: matrix, row, column, element and block selections through one index list.
data {
  int<lower=2> T;
  int<lower=2> K;
  array[T] matrix[K, K] P;
}
transformed data {
  matrix[K, K] first = P[1];
  row_vector[K] row_of_first = P[1, 2];
  vector[K] col_of_last = P[T, :, 1];
  real element = P[T, 1, 2];
  array[T] real diag_11 = P[:, 1, 1];
  array[T] row_vector[K] second_rows = P[:, 2];
  array[2] matrix[2, 2] blocks = P[1:2, 1:2, 1:2];
  matrix[K, K] product = P[1] * P[2];
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(first) + sum(row_of_first) + sum(col_of_last) + element + sum(diag_11), 10);
  target += 0 * (sum(second_rows[1]) + sum(blocks[1]) + sum(product));
}
