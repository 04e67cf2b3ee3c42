// Indexes computed by arithmetic, by other indexes (y[idx[n]]) and by function calls.
data {
  int<lower=2> N;
  vector[N] y;
  array[N] int<lower=1, upper=N> idx;
}
transformed data {
  vector[N - 1] diffs;
  for (n in 2:N) {
    diffs[n - 1] = y[n] - y[n - 1];
  }
  real via_idx = y[idx[1]];
  real via_nested = y[idx[idx[N]]];
  real middle = y[(N + 1) %/% 2];
  real via_fn = y[max(idx)];
  real via_size = y[num_elements(y)];
  real via_cond = y[N > 2 ? 2 : 1];
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  diffs ~ normal(0, sigma);
  mu ~ normal(via_idx + via_nested + middle + via_fn + via_size + via_cond, 10);
  sigma ~ exponential(1);
}
