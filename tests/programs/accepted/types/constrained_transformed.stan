// Constrained types declared in transformed parameters and generated quantities, where they are checked.
data {
  int<lower=1> K;
  vector[K] raw_weights;
}
parameters {
  vector[K] eta;
  real<lower=0> sigma;
}
transformed parameters {
  simplex[K] w = softmax(eta);
  positive_ordered[K] sorted_scale = sort_asc(exp(eta));
  real<lower=0, upper=1> first = w[1];
}
model {
  eta ~ normal(0, 1);
  sigma ~ exponential(1);
  raw_weights ~ normal(log(w), sigma);
}
generated quantities {
  ordered[K] sorted_eta = sort_asc(eta);
  unit_vector[K] direction = eta / norm2(eta);
  cov_matrix[K] Sigma = diag_matrix(rep_vector(sigma ^ 2, K));
}
