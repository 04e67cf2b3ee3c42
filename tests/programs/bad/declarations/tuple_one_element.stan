// A tuple type needs at least two elements.
data {
  tuple(real) t;
}
parameters {
  real mu;
}
model {
  mu ~ normal(t.1, 1);
}
