// An integer literal beyond the range of Stan's 32-bit `int`.
transformed data {
  int big = 3000000000;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
