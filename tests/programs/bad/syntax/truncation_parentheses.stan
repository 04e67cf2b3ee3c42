// Truncation is written `T(0,)` with parentheses; Stan writes `T[0, ]`.
data {
  real<lower=0> y;
}
parameters {
  real mu;
}
model {
  y ~ normal(mu, 1) T(0, );
}
