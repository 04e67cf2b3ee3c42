// Complex vectors, row vectors and matrices declared with expression sizes and filled elementwise.
data {
  int<lower=1> N;
  vector[N] re;
  vector[N] im;
}
transformed data {
  complex_vector[N] z;
  complex_row_vector[N] zt;
  complex_matrix[N, N] outer;
  for (n in 1:N) {
    z[n] = to_complex(re[n], im[n]);
  }
  zt = z';
  outer = z * zt;
  complex trace_z = 0;
  for (n in 1:N) {
    trace_z += outer[n, n];
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(get_real(trace_z), 1 + abs(trace_z));
}
