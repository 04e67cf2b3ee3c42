// target += dot_product of a parameter vector and data.
data {
  int<lower=1> N;
}
transformed data {
  vector[N] a;
  for (i in 1:N) {
    a[i] = sin(i);
  }
}
parameters {
  vector[N] x;
}
model {
  target += dot_product(x, a);
}
