// Left-hand sides with multi-indexing: slices, index arrays and nested array/vector/matrix indexing.
data {
  int<lower=3> N;
  array[2] int<lower=1, upper=N> pick;
}
transformed data {
  vector[N] v = rep_vector(0, N);
  matrix[N, N] M = rep_matrix(0, N, N);
  array[2, N] vector[N] grid;
  v[pick] = [1, 2]';
  v[2:3] = v[1:2];
  v[:2] += rep_vector(1, 2);
  M[1:2, 2:3] = [[1, 2], [3, 4]];
  M[pick, 1] = v[1:2];
  M[3, :] = v';
  for (i in 1:2) {
    for (j in 1:N) {
      grid[i, j] = v;
    }
  }
  grid[1, 2][pick] = rep_vector(5, 2);
  grid[2][1, 3] = 7;
  grid[2, 2:3, 1] = {8.0, 9.0};
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(M) + grid[1, 2, pick[1]], 1);
}
