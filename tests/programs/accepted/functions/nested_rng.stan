// `_rng` functions calling other user `_rng` functions and built-in rngs, returning arrays and vectors.
functions {
  real truncated_normal_rng(real mu, real sigma, real lb) {
    real draw = normal_rng(mu, sigma);
    while (draw < lb) {
      draw = normal_rng(mu, sigma);
    }
    return draw;
  }
  array[] real many_truncated_rng(int n, real mu, real sigma, real lb) {
    array[n] real out;
    for (i in 1:n) {
      out[i] = truncated_normal_rng(mu, sigma, lb);
    }
    return out;
  }
}
data {
  int<lower=1> N;
}
transformed data {
  array[N] real sim = many_truncated_rng(N, 0, 1, 0);
}
parameters {
  real mu;
}
model {
  sim ~ normal(mu, 1);
}
generated quantities {
  array[N] real y_rep = many_truncated_rng(N, mu, 1, 0);
}
