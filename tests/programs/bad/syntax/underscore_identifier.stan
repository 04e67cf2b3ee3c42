// Identifiers cannot start with an underscore.
data {
  real _offset;
}
parameters {
  real mu;
}
model {
  mu ~ normal(_offset, 1);
}
