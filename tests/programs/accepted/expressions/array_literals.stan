// Array literals {...} of ints, reals, vectors, mixed int/real (promoted) and nested arrays.
data {
  int<lower=1> N;
  vector[N] v;
}
transformed data {
  array[3] int ints = {1, 2, 3};
  array[3] real reals = {1.0, 2, 3.5};
  array[2, 3] int table = {{1, 2, 3}, {4, 5, 6}};
  array[2] vector[N] vecs = {v, 2 * v};
  array[2] row_vector[2] rows = {[1, 2], [3, 4]};
  array[2, 2] real nested = {{0.5, 1}, {1.5, 2}};
  real total = sum({sum(ints), sum(table[2])});
  array[1] int single = {N};
}
parameters {
  real mu;
}
model {
  mu ~ normal(total + sum(reals) + nested[2, 1] + rows[2, 1] + vecs[2, 1] + single[1], 10);
}
