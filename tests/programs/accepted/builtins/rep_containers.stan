// rep_matrix from a column or row vector and rep_array of non-scalar elements.
data {
  int<lower=1> K;
  vector[K] a;
  row_vector[K] r;
}
transformed data {
  matrix[K, 3] Mv = rep_matrix(a, 3);
  matrix[3, K] Mr = rep_matrix(r, 3);
  array[4] vector[K] av = rep_array(a, 4);
  array[2, 3] row_vector[K] ar = rep_array(r, 2, 3);
  array[2] matrix[K, 3] am = rep_array(Mv, 2);
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(Mv) + sum(Mr) + sum(av[1]) + sum(ar[1, 1]) + sum(am[2]), 10);
}
