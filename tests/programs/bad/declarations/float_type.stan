// `float` is not a Stan type; Stan writes `real`.
data {
  float x;
}
parameters {
  real mu;
}
model {
  mu ~ normal(x, 1);
}
