// Reductions and statistics over vectors, matrices and arrays: sum, prod, mean, variance, sd, min, max, log_sum_exp, norm1, norm2, quantile.
data {
  int<lower=2> N;
  vector[N] v;
  array[N] real a;
  array[N] int k;
  matrix[N, N] M;
}
transformed data {
  real s = sum(v) + sum(a) + sum(M) + prod(v) + prod(a);
  int si = sum(k) + prod(k) + min(k) + max(k);
  real m = mean(v) + mean(a) + mean(M) + variance(v) + variance(a) + sd(v) + sd(M);
  real ext = min(v) + max(v) + min(a) + max(M) + fmin(2, 3.5) + max(1, 2);
  real nrm = norm1(v) + norm2(v) + norm1(a) + norm2(a);
  real q = quantile(v, 0.5);
  array[3] real qs = quantile(v, {0.1, 0.5, 0.9});
}
parameters {
  real mu;
}
model {
  mu ~ normal(s + si + m + ext + nrm + q + sum(qs), 100);
}
