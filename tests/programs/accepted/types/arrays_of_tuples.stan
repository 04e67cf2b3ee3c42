// Arrays of tuples, tuples of arrays, and element access on both.
data {
  int<lower=1> N;
  array[N] tuple(int, real) obs;
  tuple(array[N] int, vector[N]) cols;
}
transformed data {
  real total = 0;
  for (n in 1:N) {
    total += obs[n].1 * obs[n].2;
    total += cols.1[n] + cols.2[n];
  }
  array[2] tuple(real, array[3] int) labelled = {(1.0, {1, 2, 3}), (2.5, {4, 5, 6})};
}
parameters {
  real mu;
}
model {
  mu ~ normal(total / N, labelled[2].1);
}
