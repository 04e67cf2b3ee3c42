// Complex scalars and containers, imaginary literals and promotion from real.
data {
  int N;
  complex_vector[N] z;
}
transformed data {
  complex w = 3 + 2i;
  complex u = w * conj(w);
  real r = get_real(u) + get_imag(w);
  complex_matrix[2, 2] M = [[1, 2i], [3, 4]];
  complex_row_vector[2] row = M[1];
}
parameters {
  real mu;
}
model {
  mu ~ normal(r, 1);
}
