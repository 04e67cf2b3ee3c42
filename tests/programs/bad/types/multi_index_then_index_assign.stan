// Left-hand side indexed with `[:]` and then `[1]`: an assignment target cannot be re-indexed after a multi-index.
transformed data {
  matrix[2, 2] m = rep_matrix(0, 2, 2);
  m[:][1] = [1, 2];
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
