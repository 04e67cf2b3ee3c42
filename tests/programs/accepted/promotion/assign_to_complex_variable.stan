// Assignment statements (not declarations) that promote int/real to complex and vector to complex_vector.
data {
  int n;
  real x;
  vector[2] v;
}
transformed data {
  complex z;
  complex_vector[2] zv;
  z = x;
  z = n;
  z += 1;
  zv = v;
}
parameters {
  real mu;
}
model {
  mu ~ normal(get_real(z) + get_real(zv[1]), 1);
}
