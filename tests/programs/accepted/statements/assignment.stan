// Plain assignment to scalars, whole containers, rows, columns and single elements.
data {
  int<lower=2> N;
  vector[N] y;
}
transformed data {
  real s;
  vector[N] v;
  matrix[N, N] M;
  array[N] int idx;
  s = sum(y);
  v = y - s / N;
  M = rep_matrix(0, N, N);
  M[1] = v';
  M[:, 2] = v;
  M[N, N] = s;
  for (n in 1:N) {
    idx[n] = N - n + 1;
  }
  v = v[idx];
}
parameters {
  real mu;
}
model {
  mu ~ normal(M[1, 1] + v[1], 1);
}
