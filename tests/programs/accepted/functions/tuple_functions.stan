// Functions that take and return tuples, unpacked with tuple indexing.
functions {
  tuple(real, real) mean_and_sd(vector x) {
    return (mean(x), sd(x));
  }
  real shifted(tuple(real, int) p) {
    return p.1 + p.2;
  }
  tuple(vector, array[] int) split_pair(vector x, array[] int idx) {
    return (x[idx], idx);
  }
}
data {
  int<lower=2> N;
  vector[N] y;
}
transformed data {
  tuple(real, real) ms = mean_and_sd(y);
  real s = shifted((ms.1, 3));
  tuple(vector[2], array[2] int) firsts = split_pair(y, {1, 2});
}
parameters {
  real mu;
}
model {
  mu ~ normal(ms.1, ms.2);
  y ~ normal(mu + 0 * s, 1);
}
