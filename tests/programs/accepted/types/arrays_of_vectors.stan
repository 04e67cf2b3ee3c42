// Arrays of vectors, row vectors and matrices, including a two-dimensional array of vectors.
data {
  int<lower=1> G;
  int<lower=1> D;
  array[G] vector[D] y;
  array[G, 2] row_vector[D] pairs;
  array[G] matrix[D, D] Sigma;
}
parameters {
  array[G] vector[D] mu;
}
model {
  for (g in 1:G) {
    mu[g] ~ normal(0, 5);
    y[g] ~ multi_normal(mu[g], Sigma[g]);
    pairs[g, 1] ~ normal(mu[g]', 1);
    pairs[g, 2] ~ normal(mu[g]', 1);
  }
}
