// Left division \ and integer division %/% bind tighter than *, so b' * A \ b is a quadratic form.
data {
  int<lower=1> N;
  matrix[N, N] A;
  vector[N] b;
  int<lower=1> K;
}
transformed data {
  real quad = b' * A \ b;
  real quad_explicit = b' * (A \ b);
  vector[N] twice = 2 * A \ b;
  int per = 3 * K %/% 2;
  int per_explicit = 3 * (K %/% 2);
  int rem = K % 2 * 3;
}
parameters {
  real mu;
}
model {
  mu ~ normal(quad - quad_explicit + sum(twice), 1 + per + per_explicit + rem);
}
