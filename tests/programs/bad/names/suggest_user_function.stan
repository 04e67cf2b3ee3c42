// An unknown function near a user-defined one is suggested the user's.
functions {
  vector laplace_vec(vector x) {
    return x / 2;
  }
}
parameters {
  vector[3] a;
}
model {
  a ~ normal(laplce_vec(a), 1);
}
