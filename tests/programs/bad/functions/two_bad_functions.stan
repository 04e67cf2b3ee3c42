// Two functions, each with its own mistake: both are reported.
functions {
  int count_above(vector v, real c) {
    real n = 0;
    for (i in 1:rows(v)) {
      n += v[i] > c;
    }
    return n;
  }
  void log_value(real x) {
    print("x = ", x);
    return x;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
