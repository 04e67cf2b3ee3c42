// A missing `;` in a file whose comment contains non-ASCII characters.
// Model: y ~ N(μ, σ²), σ ~ Exponential(1).
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  sigma ~ exponential(1);
  mu ~ normal(0, sigma)
}
