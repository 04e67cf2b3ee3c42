// Arithmetic operators promote int to real, scalar to container, and real to complex.
data {
  int n;
  real x;
  vector[3] v;
  matrix[3, 3] M;
}
transformed data {
  real s = n + x;
  real p = n * x - n;
  real pw = n ^ 2 + x ^ n;
  vector[3] sv = n + v;
  vector[3] vs = v * n;
  row_vector[3] rs = v' - n;
  matrix[3, 3] ms = M / n + x;
  complex zc = to_complex(1, 1) + n;
  complex zm = x * to_complex(0, 1);
  int ii = n * n + n - 1;
}
parameters {
  real mu;
}
model {
  mu ~ normal(s + p + pw + sum(sv) + sum(vs) + sum(rs) + sum(ms) + get_imag(zc + zm) + ii, 10);
}
