// map_rect: per-shard log likelihood with shared and shard-specific parameters and packed data.
functions {
  vector shard_loglik(vector phi, vector theta, data array[] real x_r, data array[] int x_i) {
    int n = x_i[1];
    real lp = normal_lpdf(to_vector(x_r[1:n]) | phi[1] + theta[1], exp(phi[2]));
    return [lp]';
  }
}
data {
  int<lower=1> S;
  int<lower=1> n;
  array[S, n] real y;
}
transformed data {
  array[S, 1] int x_i;
  for (s in 1:S) {
    x_i[s, 1] = n;
  }
}
parameters {
  vector[2] phi;
  array[S] vector[1] theta;
}
model {
  phi ~ normal(0, 1);
  for (s in 1:S) {
    theta[s] ~ normal(0, 1);
  }
  target += sum(map_rect(shard_loglik, phi, theta, y, x_i));
}
