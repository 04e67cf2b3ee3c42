// `target +=` with nothing to add.
parameters {
  real mu;
}
model {
  target += ;
  mu ~ normal(0, 1);
}
