// `%/%` is integer division: it takes two ints.
data {
  int<lower=1> N;
  real scale;
}
transformed data {
  int half = N %/% scale;
}
parameters {
  real mu;
}
model {
  mu ~ normal(half, 1);
}
