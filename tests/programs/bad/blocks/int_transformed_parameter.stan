// Transformed parameters are real-valued: an int count cannot be one.
parameters {
  vector[5] beta;
}
transformed parameters {
  int n_positive = 0;
  for (k in 1:5) {
    if (beta[k] > 0) {
      n_positive += 1;
    }
  }
}
model {
  beta ~ normal(0, 1);
}
