// A `vector` declared with a `row_vector` as its lower bound (the bound must be a vector).
data {
  row_vector[3] r;
}
parameters {
  vector<lower=r>[3] x;
}
model {
  x ~ normal(0, 1);
}
