// A misspelt value and a misspelt index of an assignment: only the unknown names are
// reported, not the assignment's types.
data {
  int N;
  vector[N] x;
}
transformed data {
  vector[N] z;
  matrix[N, N] M = rep_matrix(0, N, N);
  z = xx;
  M[pick, 1] = x;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
