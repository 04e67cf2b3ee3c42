// Every path through a function with a return type must return.
functions {
  real clip(real x) {
    if (x > 1) {
      return 1;
    } else if (x < -1) {
      return -1;
    }
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
