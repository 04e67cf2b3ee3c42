// Declarations of many types in every block that allows them.
functions {
  real half(real x) {
    return x / 2;
  }
}
data {
  int<lower=1> N;
  vector[N] y;
}
transformed data {
  array[2] int dims = {N, 2 * N};
  matrix[N, 2] design = rep_matrix(1, N, 2);
}
parameters {
  real mu;
  vector<lower=0>[2] scales;
}
transformed parameters {
  real<lower=0> sigma = half(sum(scales));
  row_vector[2] weights = scales';
}
model {
  vector[N] fitted = design * weights';
  y ~ normal(mu + fitted, sigma);
  scales ~ exponential(1);
}
generated quantities {
  array[N] real yrep = normal_rng(mu + design * weights', sigma);
  int size_sum = sum(dims);
}
