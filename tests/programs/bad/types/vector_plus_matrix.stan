// Adding a vector to a matrix: no such operator.
data {
  vector[2] v;
  matrix[2, 2] M;
}
parameters {
  real mu;
}
model {
  vector[2] w = v + M;
  mu ~ normal(sum(w), 1);
}
