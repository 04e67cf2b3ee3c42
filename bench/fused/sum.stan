// target += sum of a parameter vector.
data {
  int<lower=1> N;
}
parameters {
  vector[N] x;
}
model {
  target += sum(x);
}
