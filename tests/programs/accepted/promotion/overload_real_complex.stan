// Overloads that differ only in real versus complex (and vector versus complex_vector); `bar(5)` resolves to the real one.
functions {
  real bar(real x) {
    return 2 * x;
  }
  real bar(complex z) {
    return abs(z);
  }
  real total(vector v) {
    return sum(v);
  }
  real total(complex_vector v) {
    return abs(sum(v));
  }
}
data {
  int n;
  vector[3] v;
}
transformed data {
  real b1 = bar(n);
  real b2 = bar(to_complex(n, 1));
  real t1 = total(v);
}
parameters {
  real mu;
}
model {
  mu ~ normal(b1 + b2 + t1, 1);
}
