// The returned value must have the declared return type.
functions {
  int count_positive(vector v) {
    real n = 0;
    for (i in 1:rows(v)) {
      if (v[i] > 0) n += 1;
    }
    return n;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
