// Complex container promotion: real arrays to complex arrays, and real vectors/matrices to complex vectors/matrices.
functions {
  complex first(array[] complex zs) {
    return zs[1];
  }
  complex total_c(complex_vector zs) {
    return sum(zs);
  }
}
data {
  int<lower=1> N;
  array[N] real a;
  vector[N] v;
  matrix[N, N] M;
}
transformed data {
  array[N] complex za = a;
  complex_vector[N] zv = v;
  complex_matrix[N, N] zm = M;
  complex f = first(a);
  complex s = total_c(v);
  complex_row_vector[N] zr = v';
}
parameters {
  real mu;
}
model {
  mu ~ normal(get_real(f + s + za[1] + zv[1] + zm[1, 1] + zr[1]), 1);
}
