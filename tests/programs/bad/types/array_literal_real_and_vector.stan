// An array literal mixes a real and a vector; all elements must have the same type.
data {
  vector[2] v;
}
transformed data {
  array[2] vector[2] a = {1.5, v};
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
