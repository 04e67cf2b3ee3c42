// Array-specific builtins: append_array, reverse, rep_array in 2-D and 3-D, to_array_1d on 3-D arrays, size and sum.
data {
  int<lower=1> N;
  array[N] real a;
  array[N] int k;
}
transformed data {
  array[2 * N] real aa = append_array(a, a);
  array[N + 2] int kk = append_array(k, {0, 1});
  array[N] real ra = reverse(a);
  array[N] int rk = reverse(k);
  array[2, 3, 4] real cube = rep_array(1.0, 2, 3, 4);
  array[24] real flat = to_array_1d(cube);
  array[N, 2] int grid = rep_array(3, N, 2);
  int total = sum(kk) + size(rk);
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(aa) + sum(ra) + sum(flat) + total + sum(grid[1]), 10);
}
