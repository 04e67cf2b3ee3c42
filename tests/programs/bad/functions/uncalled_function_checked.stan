// A function that is never called is still checked.
functions {
  real scale(vector v, real s) {
    vector[2] w = v * s;
    return w;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
}
