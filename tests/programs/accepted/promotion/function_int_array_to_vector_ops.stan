// User functions over real arrays called with int arrays, and overloads on array[] int versus array[] real.
functions {
  real describe(array[] int xs) {
    return max(xs) - min(xs);
  }
  real describe(array[] real xs) {
    return max(xs) - min(xs) + 0.5;
  }
  real only_real(array[] real xs) {
    return mean(xs);
  }
}
data {
  array[4] int k;
  array[4] real a;
}
transformed data {
  real d1 = describe(k);
  real d2 = describe(a);
  real m = only_real(k);
}
parameters {
  real mu;
}
model {
  mu ~ normal(d1 + d2 + m, 1);
}
