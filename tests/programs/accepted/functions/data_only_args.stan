// `data`-qualified arguments: the design matrix must come from data, coefficients may be parameters.
functions {
  vector linear_predictor(data matrix X, vector beta, real alpha) {
    return alpha + X * beta;
  }
  real weighted_total(data array[] real w, vector x) {
    return dot_product(to_vector(w), x);
  }
}
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] X;
  vector[N] y;
  array[N] real w;
}
parameters {
  real alpha;
  vector[K] beta;
  real<lower=0> sigma;
}
model {
  beta ~ normal(0, 1);
  y ~ normal(linear_predictor(X, beta, alpha), sigma);
  target += 0.001 * weighted_total(w, y);
}
