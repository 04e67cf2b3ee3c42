// A truncation with one bound but no comma: `T[0]` instead of `T[0, ]`.
data {
  real<lower=0> y;
}
parameters {
  real mu;
}
model {
  y ~ normal(mu, 1) T[0];
}
