// `void` functions with bare `return;` statements, called as statements.
functions {
  void check_positive(real x, data int verbose) {
    if (x <= 0) {
      reject("expected a positive value, got ", x);
    }
    if (verbose == 0) {
      return;
    }
    print("value ", x, " is positive");
  }
  void report(vector v) {
    print("mean = ", mean(v), ", sd = ", sd(v));
  }
}
data {
  int N;
  vector[N] y;
  int verbose;
}
transformed data {
  report(y);
}
parameters {
  real<lower=0> sigma;
}
model {
  check_positive(sigma, verbose);
  y ~ normal(0, sigma);
}
