// Two statements missing their `;` at the end of two blocks: both reported.
data {
  int N;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1)
}
generated quantities {
  real x = 1
}
