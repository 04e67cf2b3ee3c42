// map_rect returning several values per shard, with zero-length shard parameters and integer data.
functions {
  vector shard_counts(vector phi, vector theta, data array[] real x_r, data array[] int x_i) {
    return [poisson_log_lpmf(x_i | phi[1]), bernoulli_logit_lpmf(x_i[1] > 0 | phi[2])]';
  }
}
data {
  int<lower=1> S;
  int<lower=1> n;
  array[S, n] int<lower=0> counts;
}
transformed data {
  array[S, 0] real x_r;
}
parameters {
  vector[2] phi;
}
model {
  array[S] vector[0] theta;
  phi ~ normal(0, 1);
  target += sum(map_rect(shard_counts, phi, theta, x_r, counts));
}
