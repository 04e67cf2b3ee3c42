// `pi` is used without parentheses; the constant is the function call `pi()`.
parameters {
  real<lower=0> r;
}
model {
  target += -pi * r ^ 2;
}
