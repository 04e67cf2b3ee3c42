// A vector is assigned to the first element of a tuple, which is a real.
data {
  vector[3] v;
}
transformed data {
  tuple(real, int) t = (1.5, 2);
  t.1 = v;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
