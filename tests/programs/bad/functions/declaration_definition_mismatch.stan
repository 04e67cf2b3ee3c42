// The definition does not match the forward declaration: `vector` vs `array[] real`.
functions {
  real total(vector x);

  real total(array[] real x) {
    return sum(x);
  }
}
data {
  vector[3] y;
}
parameters {
  real mu;
}
model {
  mu ~ normal(total(y), 1);
}
