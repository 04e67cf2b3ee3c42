// Unbalanced parentheses: one `(` too many in the location expression.
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  mu ~ normal((1 + 2 * 3, sigma);
  sigma ~ exponential(1);
}
