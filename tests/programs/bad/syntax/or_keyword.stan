// `or` is used for logical disjunction; Stan writes `||`.
data {
  real x;
}
parameters {
  real mu;
}
model {
  if (x < 0 or x > 1) {
    mu ~ normal(x, 1);
  }
}
