// Matrix indexing by rows, columns, blocks and index arrays, with vector/row-vector/matrix result types.
data {
  int<lower=3> N;
  int<lower=3> K;
  matrix[N, K] X;
  array[2] int<lower=1, upper=N> rows;
  array[2] int<lower=1, upper=K> cols;
}
transformed data {
  row_vector[K] row1 = X[1];
  row_vector[K] row1_colon = X[1, :];
  vector[N] col2 = X[:, 2];
  matrix[2, K] two_rows = X[rows];
  matrix[N, 2] two_cols = X[:, cols];
  matrix[2, 2] sub = X[rows, cols];
  matrix[2, 3] block_ab = X[1:2, 1:3];
  vector[2] col_part = X[rows, 1];
  row_vector[2] row_part = X[1, cols];
  matrix[N - 1, K] drop_first = X[2:, ];
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(row1) + sum(row1_colon) + sum(col2) + sum(two_rows) + sum(two_cols), 10);
  target += 0 * (sum(sub) + sum(block_ab) + sum(col_part) + sum(row_part) + sum(drop_first));
}
