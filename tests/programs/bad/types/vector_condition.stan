// A vector used as an `if` condition.
data {
  vector[3] x;
}
parameters {
  real mu;
}
model {
  if (x) {
    mu ~ normal(0, 1);
  }
}
