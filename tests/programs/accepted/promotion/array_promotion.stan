// Array promotion: int arrays used where real arrays are expected (declarations, function arguments, built-ins).
functions {
  real total(array[] real xs) {
    return sum(xs);
  }
  real grid_total(array[,] real g) {
    real s = 0;
    for (i in 1:size(g)) {
      s += sum(g[i]);
    }
    return s;
  }
}
data {
  int<lower=1> N;
  array[N] int counts;
  array[2, 3] int grid;
}
transformed data {
  array[N] real as_real = counts;
  array[3] real literal = {1, 2, 3};
  array[2, 3] real g2 = grid;
  real t = total(counts) + total({4, 5}) + grid_total(grid);
  real m = mean(counts) + sd(counts) + log_sum_exp(counts);
  vector[N] v = to_vector(counts);
}
parameters {
  real mu;
}
model {
  mu ~ normal(t + m + sum(as_real) + sum(literal) + sum(v) + g2[1, 1], 10);
}
