// The same local variable declared twice in one scope.
parameters {
  real mu;
}
model {
  real scale = 2;
  mu ~ normal(0, scale);
  real scale = 3;
}
