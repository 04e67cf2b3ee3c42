// Removed assignment operator `<-` instead of `=`.
parameters {
  real mu;
}
model {
  real m;
  m <- 2 * mu;
  m ~ normal(0, 1);
}
