// Promotion in declarations and assignment: int to real, int and real to complex, plus compound assignment.
data {
  int n;
  real x;
}
transformed data {
  real r = n;
  real r2 = 3;
  complex z1 = n;
  complex z2 = x;
  complex z3 = 2.5;
  complex z4 = r;
  r += n;
  z4 += n;
  z4 *= x;
  r2 = n * 2;
}
parameters {
  real mu;
}
model {
  mu ~ normal(r + r2 + get_real(z1 + z2 + z3 + z4), 1);
}
