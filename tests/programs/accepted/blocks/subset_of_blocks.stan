// Functions, data, parameters and generated quantities present; transformed blocks and model absent.
functions {
  real half(real x) {
    return 0.5 * x;
  }
}
data {
  real<lower=0> width;
}
parameters {
  real<lower=-half(width), upper=half(width)> u;
}
generated quantities {
  real u_scaled = u / width;
}
