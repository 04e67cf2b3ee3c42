// Row-vector literals [...], matrix literals [[...], [...]], transposed literals and literals of expressions.
data {
  real a;
  real b;
}
transformed data {
  row_vector[3] r = [1, 2.5, a];
  vector[3] c = [a, b, a + b]';
  matrix[2, 3] M = [[1, 2, 3], [4, 5, 6]];
  matrix[2, 2] R = [[cos(a), -sin(a)], [sin(a), cos(a)]];
  matrix[3, 2] T = [[1, 2], [3, 4], [5, 6]]';
  matrix[2, 2] from_rows = [r[1:2], [b, a]];
  complex_row_vector[2] zr = [1 + 2i, 3];
  complex_matrix[2, 2] zm = [[1i, 0], [0, -1i]];
  real s = r * c + sum(M * c);
}
parameters {
  vector[2] theta;
}
model {
  theta ~ normal(R * [s, 0]', 1);
  to_vector(from_rows) ~ normal(0, 10);
  target += sum(T) * 0 + get_real(zr[1] * zm[1, 1]) * 0;
}
