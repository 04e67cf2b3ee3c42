// Deeply nested expressions mixing function calls, every operator class, indexing and parentheses.
data {
  int<lower=2> N;
  vector[N] y;
  array[N] int<lower=1, upper=N> idx;
}
parameters {
  real alpha;
  real<lower=0> sigma;
}
transformed parameters {
  real z = ((alpha - mean(y)) / sigma) ^ 2 / 2;
  real choice = alpha > 0 && sigma < 1 ? exp(-z) : 1 - exp(-(z + 1));
}
model {
  vector[N] mu = alpha + (y[idx] - mean(y[idx])) .* rep_vector(sigma, N) / N;
  alpha ~ normal(0, 1 + (N > 10 ? 1 : 0) * 2);
  sigma ~ lognormal(log(sd(y) + 1e-3), 0.5 ^ 2 * 4);
  y ~ normal(mu, sigma);
  target += log(choice + 1e-10) * 0 + ((N % 2 == 0) || !(N %/% 2 > 3)) * 0;
}
