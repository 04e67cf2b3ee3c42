// Elementwise .* and ./ on vectors, row vectors and matrices, with scalars, and mixed with + and *.
data {
  int<lower=1> N;
  vector[N] x;
  vector<lower=0>[N] w;
  matrix[N, N] A;
  matrix<lower=0>[N, N] B;
}
transformed data {
  vector[N] weighted = x .* w;
  vector[N] ratio = x ./ (w + 1);
  vector[N] inv_w = 1 ./ (w + 1);
  vector[N] halved = x ./ 2;
  vector[N] affine = 1 + x .* w - x ./ (1 + w);
  row_vector[N] row_prod = x' .* w';
  matrix[N, N] hadamard = A .* B;
  matrix[N, N] quotient = A ./ (B + 1);
  matrix[N, N] product_then_scale = A * B .* A;
  vector[N] mat_vec = (A .* B) * x;
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(weighted) + sum(ratio) + sum(inv_w) + sum(halved) + sum(affine), 10);
  target += (sum(row_prod) + sum(hadamard) + sum(quotient) + sum(product_then_scale) + sum(mat_vec)) * 0;
}
