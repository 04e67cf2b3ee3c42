// Additive versus multiplicative precedence and left associativity, checked through result types.
data {
  int<lower=1> N;
  vector[N] v;
  matrix[N, N] M;
  real a;
  real b;
  real c;
}
transformed data {
  vector[N] w = v + M * v;
  vector[N] u = v - v / 2 * 3;
  real left_sub = a - b - c;
  real left_div = a / b / c;
  real mixed = a + b * c - a / b;
  int i = 10 - 4 - 3;
  int j = 2 + 3 * 4 % 5;
  matrix[N, N] P = M + M * M - M;
  real quad = v' * M * v + 1;
}
parameters {
  real mu;
}
model {
  mu ~ normal(sum(w) + sum(u) + left_sub + left_div + mixed + i + j + sum(P) + quad, 10);
}
