// Tuple unpacking (Stan 2.36): nested patterns, indexed places and promotion of each element.
functions {
  tuple(real, array[] int) stats(array[] int y) {
    return (mean(to_vector(y)), y);
  }
}
data {
  int<lower=1> N;
  array[N] int y;
}
transformed data {
  real m;
  array[N] int copy;
  (m, copy) = stats(y);
  vector[2] v;
  real w;
  complex z;
  (v[1], (w, z)) = (1, (2.5, 3));
}
parameters {
  real mu;
}
model {
  mu ~ normal(m, 1);
}
