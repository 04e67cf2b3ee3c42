// `break` inside a for loop (not supported yet).
parameters {
  real mu;
}
model {
  for (i in 1:3) {
    if (i == 2) break;
  }
  mu ~ normal(0, 1);
}
