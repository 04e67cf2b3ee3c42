// Loop bounds are ints.
functions {
  real total(vector v) {
    real s = 0;
    for (i in 1:size(v) / 2.0) {
      s += v[i];
    }
    return s;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
