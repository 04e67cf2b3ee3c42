// `softmax` applied to an array of reals; it takes a vector.
data {
  array[3] real a;
}
transformed data {
  vector[3] p = softmax(a);
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
