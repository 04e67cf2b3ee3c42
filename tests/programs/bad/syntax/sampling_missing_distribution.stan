// A `~` statement with no distribution after it.
parameters {
  real mu;
}
model {
  mu ~ ;
}
