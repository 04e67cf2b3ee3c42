// A block whose statements are not wrapped in `{ }`.
parameters {
  real mu;
}
model
  mu ~ normal(0, 1);
