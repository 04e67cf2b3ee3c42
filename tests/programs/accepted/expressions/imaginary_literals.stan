// Imaginary literals with integer, decimal and scientific-notation magnitudes, and complex arithmetic.
transformed data {
  complex z1 = 2i;
  complex z2 = 1.5e3i;
  complex z3 = 0.25i;
  complex z4 = 3 - 4i;
  complex z5 = 1e-2i + 7;
  complex prod = z1 * z4;
  complex quot = z4 / (1 + 1i);
  complex power = z4 ^ 2;
  real magnitude = abs(z4);
  real phase = arg(z3 + 1);
  real re = get_real(prod) + get_imag(z2) + get_real(z5);
  complex neg = -z1;
  complex conj_z = conj(z4);
}
parameters {
  real mu;
}
model {
  mu ~ normal(magnitude + phase + re + get_imag(quot + power + neg + conj_z), 100);
}
