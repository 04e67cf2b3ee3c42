// The cutpoints of `ordered_logistic` are a vector, not an array.
data {
  int<lower=1> N;
  array[N] int<lower=1, upper=4> y;
  vector[N] x;
  array[3] real c;
}
parameters {
  real beta;
}
model {
  y ~ ordered_logistic(x * beta, c);
}
