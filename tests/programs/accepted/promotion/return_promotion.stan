// Return promotion: returning int where real is declared, real/int where complex is declared, and mixed branches.
functions {
  real count_as_real(array[] int xs) {
    return sum(xs);
  }
  complex real_as_complex(real x) {
    if (x > 0) {
      return x;
    }
    return 0;
  }
  real piecewise(real x) {
    if (x < 0) {
      return 0;
    } else if (x < 1) {
      return x;
    }
    return 1;
  }
}
data {
  array[3] int k;
  real x;
}
transformed data {
  real c = count_as_real(k);
  complex z = real_as_complex(x);
  real p = piecewise(x);
}
parameters {
  real mu;
}
model {
  mu ~ normal(c + get_real(z) + p, 1);
}
