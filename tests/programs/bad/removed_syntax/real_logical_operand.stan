// A real operand of `!` (removed with real conditions): compare explicitly.
data {
  real scale;
}
parameters {
  real mu;
}
model {
  if (!scale) {
    mu ~ normal(0, 1);
  } else {
    mu ~ normal(0, scale);
  }
}
