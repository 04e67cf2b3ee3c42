// ordered and positive_ordered vectors with proper priors.
parameters {
  ordered[3] cut;
  positive_ordered[2] rate;
}
model {
  cut ~ normal(0, 2);
  rate ~ gamma(2, 1);
}
