// `rows` applied to an array; `size` gives the length of an array.
data {
  array[5] real a;
}
transformed data {
  int n = rows(a);
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
