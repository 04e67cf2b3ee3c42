// Constructing containers: rep_vector, rep_row_vector, rep_matrix (scalar), rep_array, diag_matrix, identity_matrix, linspaced_vector, one_hot_vector, zeros, ones, uniform_simplex.
data {
  int<lower=1> K;
}
transformed data {
  vector[K] a = rep_vector(1.5, K);
  row_vector[K] r = rep_row_vector(0, K);
  matrix[K, K] M = rep_matrix(2, K, K);
  array[K, 2] real ar = rep_array(0.5, K, 2);
  array[K] int ai = rep_array(1, K);
  matrix[K, K] D = diag_matrix(a);
  matrix[K, K] I = identity_matrix(K);
  vector[K] lv = linspaced_vector(K, 0, 1);
  array[K] int li = linspaced_int_array(K, 1, K);
  vector[K] oh = one_hot_vector(K, 1);
  vector[K] z = zeros_vector(K);
  row_vector[K] o = ones_row_vector(K);
  array[K] int zi = zeros_int_array(K);
  vector[K] us = uniform_simplex(K);
}
parameters {
  vector[K] mu;
}
model {
  mu ~ normal(a + D * us + lv + oh + z, 1);
}
