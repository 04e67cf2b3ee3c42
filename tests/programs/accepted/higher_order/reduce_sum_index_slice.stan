// reduce_sum over an index array, so the partial sum function uses start/end only through the slice.
functions {
  real partial_poisson(array[] int idx, int start, int end, array[] int counts, vector log_rate) {
    return poisson_log_lpmf(counts[idx] | log_rate[idx]);
  }
}
data {
  int<lower=1> N;
  array[N] int<lower=0> counts;
}
transformed data {
  array[N] int idx = linspaced_int_array(N, 1, N);
}
parameters {
  vector[N] log_rate;
}
model {
  log_rate ~ normal(0, 2);
  target += reduce_sum(partial_poisson, idx, 1, counts, log_rate);
}
