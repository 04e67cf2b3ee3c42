// A `while` loop (not supported yet).
parameters {
  real mu;
}
model {
  int i = 0;
  while (i < 3) {
    i += 1;
  }
  mu ~ normal(i, 1);
}
