// Foreach loops over arrays of tuples, slices and array literals of vectors.
data {
  int<lower=2> N;
  vector[N] v;
  array[N] tuple(int, real) obs;
}
transformed data {
  real total = 0;
  for (t in obs) {
    total += t.1 * t.2;
  }
  for (x in v[2:N]) {
    total += x;
  }
  for (copy in {v, 2 * v}) {
    total += sum(copy);
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(total, 10);
}
