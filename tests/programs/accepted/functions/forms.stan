// Forward declarations, recursion, overloading, data-only and void functions, early returns.
functions {
  int fib(int n);
  int fib(int n) {
    if (n < 2) {
      return n;
    }
    return fib(n - 1) + fib(n - 2);
  }
  real scale(real x, data real s) {
    return x * s;
  }
  vector scale(vector x, data real s) {
    return x * s;
  }
  void note(real x) {
    print("x = ", x);
  }
  real never_called(matrix A, vector b) {
    return sum(A * b);
  }
}
data {
  real s;
}
transformed data {
  int f = fib(10);
}
parameters {
  real mu;
}
model {
  note(mu);
  mu ~ normal(scale(1.0, s), f);
}
