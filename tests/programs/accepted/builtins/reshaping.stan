// Reshaping and conversion: to_vector, to_row_vector, to_matrix (with and without row-major flag), to_array_1d, to_array_2d, to_int, reverse, transposition.
data {
  int<lower=1> R;
  int<lower=1> C;
  matrix[R, C] M;
  array[R, C] real A;
  array[R * C] int ints;
}
transformed data {
  vector[R * C] v = to_vector(M);
  vector[R * C] va = to_vector(to_array_1d(A));
  vector[R * C] vi = to_vector(ints);
  row_vector[R * C] rv = to_row_vector(M);
  matrix[R, C] M2 = to_matrix(v, R, C);
  matrix[R, C] M3 = to_matrix(to_array_1d(M), R, C, 0);
  matrix[R, C] M4 = to_matrix(A);
  array[R * C] real flat = to_array_1d(A);
  array[R, C] real A2 = to_array_2d(M);
  array[R * C] int back = to_int(to_array_1d(vi));
  vector[R * C] rev = reverse(v);
  matrix[C, R] Mt = M';
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(v) + sum(M2) + sum(M3) + sum(M4) + sum(flat) + sum(rev), 10);
}
