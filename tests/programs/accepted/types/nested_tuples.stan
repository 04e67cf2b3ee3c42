// Nested tuples with arrays and vectors inside, built from literals and read back with chained projection.
data {
  tuple(int, tuple(real, vector[2])) nested;
}
transformed data {
  tuple(real, tuple(int, array[2] real)) local = (0.5, (3, {1.5, 2.5}));
  real a = local.2.2[1] + local.1;
  int b = local.2.1 + nested.1;
  vector[2] v = nested.2.2;
  tuple(tuple(int, int), tuple(real, real)) grid = ((1, 2), (3.0, 4.0));
  real c = grid.2.1 * grid.1.2;
}
parameters {
  real mu;
}
model {
  mu ~ normal(a + b + c + sum(v), nested.2.1);
}
