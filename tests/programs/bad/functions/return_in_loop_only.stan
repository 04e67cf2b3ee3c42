// A `return` inside a loop does not count: the loop may run zero times.
functions {
  real first_positive(vector v) {
    for (i in 1:rows(v)) {
      if (v[i] > 0) {
        return v[i];
      }
    }
  }
}
data {
  vector[3] v;
}
parameters {
  real mu;
}
model {
  mu ~ normal(first_positive(v), 1);
}
