// Transformed data without a data block: constants computed in the program itself.
transformed data {
  int K = 3;
  vector[K] alpha = rep_vector(2, K);
  real scale = sqrt(2.0);
}
parameters {
  simplex[K] theta;
  real<lower=0> sigma;
}
model {
  theta ~ dirichlet(alpha);
  sigma ~ normal(0, scale);
}
