// Array expressions with mixed element types promote to the common type: int/real to real, real/complex to complex.
data {
  int n;
  real x;
}
transformed data {
  array[3] real mixed = {n, x, 2};
  array[2] complex zs = {1, to_complex(0, 1)};
  array[2] complex zr = {x, 2.5};
  array[2, 2] real nested = {{1, 2}, {x, n}};
  vector[3] v = [n, x, 3]';
  row_vector[2] rv = [1, x];
  complex_row_vector[2] crv = [to_complex(1, 1), x];
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(mixed) + get_real(zs[1] + zr[2]) + nested[2, 1] + sum(v) + sum(rv) + get_real(crv[2]), 1);
}
