// `and` is used for logical conjunction; Stan writes `&&`.
data {
  real x;
}
parameters {
  real mu;
}
model {
  if (x > 0 and x < 1) {
    mu ~ normal(x, 1);
  }
}
