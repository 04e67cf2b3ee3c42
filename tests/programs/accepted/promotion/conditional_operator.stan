// The conditional operator promotes int/real branches to real, real/complex to complex, and works on containers.
data {
  int n;
  real x;
  vector[3] v;
  vector[3] w;
}
transformed data {
  real a = n > 0 ? 1 : 2.5;
  real b = n > 0 ? x : 0;
  int c = n > 0 ? n : -n;
  complex z = n > 0 ? to_complex(x, 1) : x;
  vector[3] u = x > 0 ? v : w;
  real nested = n > 1 ? 1 : n > 0 ? 0.5 : 0;
}
parameters {
  real mu;
}
model {
  mu ~ normal(a + b + c + get_real(z) + sum(u) + nested, 1);
}
