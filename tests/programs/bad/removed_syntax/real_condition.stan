// A real value used as an `if` condition (removed in Stan 2.34): compare explicitly.
data {
  real weight;
}
parameters {
  real mu;
}
model {
  if (weight) {
    target += weight * normal_lpdf(mu | 0, 1);
  }
}
