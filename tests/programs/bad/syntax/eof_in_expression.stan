// The file ends in the middle of an expression.
parameters {
  real mu;
}
model {
  mu ~ normal(0,
