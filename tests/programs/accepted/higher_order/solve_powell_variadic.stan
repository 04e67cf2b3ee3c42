// solve_powell and solve_powell_tol with a variadic tail of matrix and vector arguments.
functions {
  vector linear_residual(vector x, matrix A, vector b) {
    return A * x - b;
  }
}
data {
  matrix[3, 3] A;
}
parameters {
  vector[3] b;
}
transformed parameters {
  vector[3] x = solve_powell(linear_residual, rep_vector(0, 3), A, b);
  vector[3] x2 = solve_powell_tol(linear_residual, rep_vector(0, 3), 1e-10, 1e-6, 500, A, b);
}
model {
  b ~ std_normal();
  x ~ normal(0, 1);
}
