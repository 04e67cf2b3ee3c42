// `break` in a function body outside any loop.
functions {
  real first_or_zero(vector v) {
    if (rows(v) == 0) {
      break;
    }
    return v[1];
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
