// A stray `)` after a declaration.
parameters {
  real mu);
}
model {
  mu ~ normal(0, 1);
}
