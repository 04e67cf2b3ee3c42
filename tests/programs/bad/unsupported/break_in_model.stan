// `break` in the model block (not supported yet where the log density is differentiated).
parameters {
  real mu;
}
model {
  for (i in 1:3) {
    if (i == 2) {
      break;
    }
    mu ~ normal(i, 1);
  }
}
