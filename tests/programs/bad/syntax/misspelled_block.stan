// Misspelled block name: `paramaters` instead of `parameters`.
paramaters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
