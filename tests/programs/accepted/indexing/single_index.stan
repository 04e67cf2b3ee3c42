// Single integer indexes on arrays, vectors, row vectors and matrices, with the resulting types.
data {
  int<lower=2> N;
  array[N] int counts;
  array[N, 3] real table;
  vector[N] v;
  row_vector[N] r;
  matrix[N, 3] M;
}
transformed data {
  int c1 = counts[1];
  array[3] real row_of_table = table[2];
  real cell = table[2, 3];
  real v_last = v[N];
  real r_first = r[1];
  row_vector[3] m_row = M[N];
  real m_cell = M[N, 3];
  real m_cell_chained = M[N][3];
}
parameters {
  real mu;
}
model {
  mu ~ normal(c1 + sum(row_of_table) + cell + v_last + r_first + sum(m_row) + m_cell + m_cell_chained, 10);
}
