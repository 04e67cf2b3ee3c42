// Indexing a transpose without parentheses: Stan indexes before it transposes.
data { int N; matrix[N, N] M; }
parameters { real mu; }
model {
  row_vector[N] first_column = M'[1];
  mu ~ normal(sum(first_column), 1);
}
