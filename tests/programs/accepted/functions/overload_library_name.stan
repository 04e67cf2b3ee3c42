// A user overload of a library function's name: calls that fit the user's signature go to it,
// the others still reach the built-in `inv_logit(real)`.
functions {
  real inv_logit(real x, real scale) {
    return 1 / (1 + exp(-x / scale));
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(inv_logit(0.5), inv_logit(0.5, 2));
}
