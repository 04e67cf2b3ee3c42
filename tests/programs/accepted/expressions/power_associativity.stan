// Exponentiation ^ and elementwise .^ are right-associative and bind tighter than unary minus.
data {
  int<lower=1> N;
  vector<lower=0>[N] x;
  real<lower=0> base;
}
transformed data {
  real tower = 2 ^ 3 ^ 2;
  real explicit_right = 2 ^ (3 ^ 2);
  real explicit_left = (2 ^ 3) ^ 2;
  real neg = -base ^ 2;
  real neg_paren = (-base) ^ 2;
  vector[N] squares = x .^ 2;
  vector[N] nested = 2 .^ x .^ 0.5;
  vector[N] scalar_base = 2 .^ x;
  real scaled = 3 * base ^ 2;
  row_vector[N] row_pow = x' .^ 2;
}
parameters {
  real mu;
}
model {
  mu ~ normal(tower - explicit_right + explicit_left + neg + neg_paren, 10);
  target += -sum(squares + nested + scalar_base) * 0 + scaled * 0 + sum(row_pow) * 0;
}
