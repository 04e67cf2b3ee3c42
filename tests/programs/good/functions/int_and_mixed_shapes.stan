// Signatures the catalog-agreement test found mis-typed: `abs` and `prod` of integer arrays
// return integers, and multi_normal takes a row-vector mean against a vector outcome.
data {
  array[3] int k;
  vector[2] y;
  matrix[2, 2] Sigma;
}
parameters {
  row_vector[2] mu;
}
model {
  mu ~ normal(0, 10);
  y ~ multi_normal(mu, Sigma);
}
generated quantities {
  array[3] int abs_k = abs(k);
  int prod_k = prod(k);
  int prod_abs = prod(abs(k));
}
