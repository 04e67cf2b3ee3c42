// Functions over complex scalars and complex vectors.
functions {
  complex rotate(complex z, real angle) {
    return z * exp(to_complex(0, angle));
  }
  real total_power(complex_vector zs) {
    real p = 0;
    for (i in 1:num_elements(zs)) {
      p += square(abs(zs[i]));
    }
    return p;
  }
}
data {
  int<lower=1> N;
  complex_vector[N] signal;
}
transformed data {
  complex z = rotate(to_complex(1, 0), pi() / 2);
  real power = total_power(signal);
}
parameters {
  real<lower=0> sigma;
}
model {
  sigma ~ normal(power, 1 + abs(z));
}
