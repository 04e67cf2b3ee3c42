// An unknown function called twice is one mistake: its first call is reported.
parameters {
  real mu;
}
model {
  mu ~ normal(squre(2), squre(3));
}
