// A recursive real-valued function (power by repeated squaring) used in the model.
functions {
  real fast_pow(real x, int n) {
    if (n == 0) {
      return 1;
    } else if (n % 2 == 0) {
      real h = fast_pow(x, n %/% 2);
      return h * h;
    } else {
      return x * fast_pow(x, n - 1);
    }
  }
}
data {
  int<lower=0> n;
  real y;
}
parameters {
  real<lower=0> base;
}
model {
  base ~ gamma(2, 2);
  y ~ normal(fast_pow(base, n), 1);
}
