// Slicing and multi-indexing two- and three-dimensional arrays of reals and ints.
data {
  int<lower=2> A;
  int<lower=2> B;
  int<lower=2> C;
  array[A, B, C] real cube;
  array[A, B] int grid;
  array[2] int<lower=1, upper=B> pick;
}
transformed data {
  array[B, C] real slab = cube[1];
  array[A] real fiber = cube[:, 1, 1];
  array[A, C] real plane = cube[:, 2, :];
  array[2, 2, C] real corner = cube[1:2, pick];
  array[A] int grid_col = grid[:, 1];
  array[B] int grid_row = grid[A];
  array[A, 2] int grid_pick = grid[:, pick];
  int g = grid[A, B];
}
parameters {
  real mu;
}
model {
  mu ~ normal(slab[1, 1] + fiber[1] + plane[1, 1] + corner[2, 2, 1], 10);
  target += 0 * (sum(grid_col) + sum(grid_row) + sum(grid_pick[1]) + g);
}
