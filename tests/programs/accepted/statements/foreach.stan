// For loops iterating directly over arrays, vectors, matrix columns and arrays of vectors.
data {
  int<lower=1> N;
  array[N] int<lower=0> counts;
  vector[N] v;
  matrix[N, 2] X;
  array[2] vector[N] groups;
  array[2, 3] real table;
}
transformed data {
  int total = 0;
  real sum_all = 0;
  for (c in counts) {
    total += c;
  }
  for (x in v) {
    sum_all += x;
  }
  for (j in 1:2) {
    for (x in col(X, j)) {
      sum_all += x;
    }
  }
  for (g in groups) {
    sum_all += max(g);
  }
  for (row in table) {
    for (cell in row) {
      sum_all += cell;
    }
  }
}
parameters {
  real<lower=0> lambda;
}
model {
  lambda ~ normal(total + sum_all, 10);
}
