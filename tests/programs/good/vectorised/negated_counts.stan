// Negating an int array keeps it an int array (this once reached code generation as reals).
data {
  int<lower=1> N;
  array[N] int<upper=0> d;
}
parameters {
  real<lower=0> lambda;
}
model {
  lambda ~ gamma(2, 1);
  -d ~ poisson(lambda);
}
