// A do-while loop; Stan only has `while (cond) { ... }`.
transformed data {
  int i = 0;
  do {
    i += 1;
  } while (i < 10);
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
