// The bounds of a range index are ints.
data {
  vector[10] x;
  real cut;
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(x[1:cut]), 1);
}
