// Complex scalar builtins: to_complex, get_real, get_imag, abs, arg, norm, conj, proj, polar, exp, log, sqrt, pow.
data {
  real re;
  real im;
}
transformed data {
  complex z = to_complex(re, im);
  complex w = to_complex(1);
  real r = get_real(z) + get_imag(z) + abs(z) + arg(z) + norm(z);
  complex zc = conj(z) + proj(z) + polar(2.0, pi() / 4);
  complex ze = exp(z) + log(z + 1) + sqrt(z) + pow(z, 2) + pow(z, w) + z ^ 2;
  complex zt = sin(z) + cos(z) + tanh(z) + asinh(z);
  real check = get_real(zc) + get_imag(ze) + abs(zt);
}
parameters {
  real mu;
}
model {
  mu ~ normal(r + check, 10);
}
