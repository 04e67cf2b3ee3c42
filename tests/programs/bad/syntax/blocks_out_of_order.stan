// Blocks in the wrong order: `model` before `parameters`.
model {
  mu ~ normal(0, 1);
}
parameters {
  real mu;
}
