// An `int` declared with a real-valued lower bound.
data {
  int<lower=0.5> n;
}
parameters {
  real mu;
}
model {
  mu ~ normal(n, 1);
}
