// `elif` is used for a chained condition; Stan writes `else if`.
data {
  real x;
}
parameters {
  real mu;
}
model {
  if (x > 1) {
    mu ~ normal(1, 1);
  } elif (x > 0) {
    mu ~ normal(0, 1);
  }
}
