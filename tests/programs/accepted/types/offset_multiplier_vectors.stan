// Vector-valued offset and multiplier on vectors and row vectors.
data {
  int<lower=1> K;
  vector[K] prior_mean;
  vector<lower=0>[K] prior_sd;
  row_vector<lower=0>[K] row_scale;
}
parameters {
  vector<offset=prior_mean, multiplier=prior_sd>[K] beta;
  row_vector<multiplier=row_scale>[K] delta;
}
model {
  beta ~ normal(prior_mean, prior_sd);
  delta ~ normal(0, row_scale);
}
