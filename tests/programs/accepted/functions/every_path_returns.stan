// Return-path analysis: if/else both returning, returns inside a loop, and reject at the end.
functions {
  real piecewise(real x) {
    if (x < 0) {
      return 0;
    } else {
      return x;
    }
  }
  int first_index_above(vector v, real threshold) {
    for (i in 1:num_elements(v)) {
      if (v[i] > threshold) {
        return i;
      }
    }
    reject("no element above ", threshold);
  }
  real sign_or_fail(real x) {
    if (x > 0) {
      return 1;
    } else if (x < 0) {
      return -1;
    }
    reject("zero has no sign");
  }
}
data {
  int<lower=1> N;
  vector[N] v;
}
transformed data {
  int idx = first_index_above(v, 0.5);
}
parameters {
  real mu;
}
model {
  mu ~ normal(piecewise(v[idx]) * sign_or_fail(v[idx]), 1);
}
