// Removed array type syntax in a function argument: `real[] xs` instead of `array[] real xs`.
functions {
  real total(real[] xs) {
    return sum(xs);
  }
}
data {
  array[3] real y;
}
parameters {
  real mu;
}
model {
  mu ~ normal(total(y), 1);
}
