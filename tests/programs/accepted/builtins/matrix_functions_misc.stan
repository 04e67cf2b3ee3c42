// Further matrix builtins: trace, matrix_exp, matrix_exp_multiply, scale_matrix_exp_multiply, matrix_power, softmax on columns, symmetrize_from_lower_tri, cholesky of a crossprod.
data {
  int<lower=1> K;
  matrix[K, K] A;
  matrix[K, 2] B;
}
transformed data {
  real tr = trace(A);
  matrix[K, K] E = matrix_exp(A);
  matrix[K, 2] EB = matrix_exp_multiply(A, B);
  matrix[K, 2] sEB = scale_matrix_exp_multiply(0.5, A, B);
  matrix[K, K] P = matrix_power(A, 3);
  matrix[K, K] S = symmetrize_from_lower_tri(A);
  matrix[K, K] G = generalized_inverse(A);
  matrix[K, K] L = cholesky_decompose(crossprod(A) + diag_matrix(rep_vector(1, K)));
  vector[K] cs = softmax(col(A, 1));
}
parameters {
  real mu;
}
model {
  mu ~ normal(tr + sum(E) + sum(EB) + sum(sEB) + sum(P) + sum(S) + sum(G) + sum(L) + sum(cs), 100);
}
