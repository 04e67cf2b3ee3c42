// Tuple declarations, literals, element access and tuples in arrays.
data {
  tuple(real, int) pair;
  array[2] tuple(int, vector[3]) groups;
}
transformed data {
  tuple(real, real) t = (1.5, pair.1);
  real s = t.1 + t.2 + pair.2;
  int n = groups[1].1;
}
parameters {
  real mu;
}
model {
  mu ~ normal(s, n);
}
