// Complex vectors and matrices: to_complex element-wise, get_real/get_imag on containers, fft, inv_fft, fft2, complex eigendecomposition.
data {
  int<lower=1> N;
  vector[N] x;
  matrix[N, N] A;
}
transformed data {
  complex_vector[N] X = fft(to_complex(x, rep_vector(0, N)));
  complex_vector[N] xb = inv_fft(X);
  vector[N] power = square(get_real(X)) + square(get_imag(X));
  vector[N] rx = get_real(xb);
  vector[N] ix = get_imag(X);
  complex_matrix[N, N] F2 = fft2(to_complex(A, A));
  complex_matrix[N, N] F2i = inv_fft2(F2);
  complex_vector[N] ev = eigenvalues(A);
  complex_matrix[N, N] evec = eigenvectors(A);
  complex_row_vector[N] crow = X';
  complex_matrix[N, N] prod = F2 * F2i;
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(power) + sum(rx) + sum(ix) + sum(get_real(ev)), 10);
}
