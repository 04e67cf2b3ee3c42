// `**` is used for exponentiation; Stan writes `^`.
data {
  real x;
}
parameters {
  real mu;
}
model {
  mu ~ normal(x ** 2, 1);
}
