// A function that returns a value must return on every path; a one-armed `if` leaves one out.
functions {
  real clip(real x) {
    if (x > 0) {
      return x;
    }
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(clip(1.0), 1);
}
