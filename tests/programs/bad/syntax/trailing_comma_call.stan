// A trailing comma after the last argument of a call.
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1,);
}
