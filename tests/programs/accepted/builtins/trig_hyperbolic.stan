// Trigonometric, hyperbolic and their inverse functions applied to scalars and element-wise to vectors.
data {
  int<lower=1> N;
  vector<lower=-1, upper=1>[N] u;
  real t;
}
transformed data {
  real s = sin(t) + cos(t) + tan(t) + asin(0.5) + acos(0.5) + atan(t) + atan2(t, 1.0);
  real h = sinh(t) + cosh(t) + tanh(t) + asinh(t) + acosh(2.0) + atanh(0.3);
  vector[N] vs = sin(u) + cos(u) + tanh(u) + asin(u) + atanh(u * 0.5);
  array[N] real as = to_array_1d(exp(u));
  array[N] real logs = log(as);
}
parameters {
  real mu;
}
model {
  mu ~ normal(s + h + sum(vs) + sum(logs), 10);
}
