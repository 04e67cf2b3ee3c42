// `//` is used for integer division, but it starts a comment in Stan (integer division is `%/%`).
data {
  int N;
}
transformed data {
  int half = (N // 2);
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
