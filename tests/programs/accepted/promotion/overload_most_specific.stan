// Overload resolution picks the most specific signature: exact int matches beat promoted real ones.
functions {
  int kind(int x) {
    return 1;
  }
  int kind(real x) {
    return 2;
  }
  real combine(int a, real b) {
    return a + b;
  }
  real combine(real a, real b) {
    return a * b;
  }
  real combine(int a, int b) {
    return a - b;
  }
}
data {
  int n;
  real x;
}
transformed data {
  int k1 = kind(n);
  int k2 = kind(x);
  int k3 = kind(n + x);
  real c1 = combine(n, n);
  real c2 = combine(n, x);
  real c3 = combine(x, n);
  real c4 = combine(x, x);
}
parameters {
  real mu;
}
model {
  mu ~ normal(k1 + k2 + k3 + c1 + c2 + c3 + c4, 1);
}
