// Compound assignment on vectors and matrices, including elementwise .*= and ./= and scalar right-hand sides.
data {
  int<lower=1> N;
  vector[N] x;
  matrix[N, N] A;
}
transformed data {
  vector[N] v = x;
  row_vector[N] r = x';
  matrix[N, N] B = A;
  v += 1;
  v -= x / 2;
  v *= 3;
  v /= 4;
  v .*= x;
  v ./= (x + 10);
  r += v';
  r *= B;
  B += A';
  B -= diag_matrix(v);
  B *= A;
  B .*= A;
  B ./= (A + 1);
  B /= 2;
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(v) + sum(r) + sum(B), 10);
}
