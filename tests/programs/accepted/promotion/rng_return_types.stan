// `_rng` return types: discrete rngs return int (assignable to real), continuous ones real, vectorised ones arrays.
data {
  int<lower=1> N;
  vector[N] mu;
}
parameters {
  real<lower=0> sigma;
}
model {
  sigma ~ exponential(1);
}
generated quantities {
  int k = poisson_rng(3.5);
  real k_as_real = poisson_rng(3.5);
  real draw = normal_rng(0, sigma);
  array[N] real draws = normal_rng(mu, sigma);
  array[N] int counts = poisson_log_rng(mu);
  array[N] real counts_real = poisson_log_rng(mu);
  complex z = normal_rng(0, 1);
}
