// Argument promotion to user functions: int to real, int/real to complex, and data ints into real parameters of densities.
functions {
  real half(real x) {
    return x / 2;
  }
  complex twice(complex z) {
    return 2 * z;
  }
  real scaled_normal_lpdf(real y, real mu, real sigma) {
    return normal_lpdf(y | mu, sigma);
  }
}
data {
  int n;
  real x;
}
transformed data {
  real h = half(n);
  complex t1 = twice(n);
  complex t2 = twice(x);
  complex t3 = twice(to_complex(x, 1));
}
parameters {
  real mu;
}
model {
  mu ~ scaled_normal(0, 1);
  x ~ scaled_normal(mu, 1);
  target += scaled_normal_lpdf(n | mu, 2);
  target += scaled_normal_lpdf(h | get_real(t1 + t2 + t3), 2);
}
