// Complex numbers end to end: complex data read from [re, im] pairs, transformed data,
// a user function of complex arguments, a log density of the parts of complex values built
// from parameters, and complex outputs written as `z.real`, `z.imag`.
functions {
  complex rotate(complex z, real angle) {
    return z * polar(1, angle);
  }
}
data {
  int<lower=1> N;
  complex z0;
  complex_vector[N] zs;
  array[2] complex_row_vector[N] rows;
}
transformed data {
  complex_vector[N] shifted = zs + z0;
  complex total = sum(shifted);
  for (r in rows) {
    total += sum(r);
  }
}
parameters {
  real x;
  real<lower=0> s;
}
transformed parameters {
  complex w = to_complex(x, s);
}
model {
  complex_vector[N] moved = shifted * w;
  moved[1] = rotate(moved[1], 0.5);
  target += -0.5 * dot_self(get_real(moved)) - 0.1 * norm(w);
  s ~ lognormal(0, 1);
}
generated quantities {
  complex_matrix[2, N] m = to_matrix(rows);
  complex_vector[N] e = zs .* zs * 1i;
  complex t = total;
  real mod = abs(w);
  m[1, 1] = conj(w);
}
