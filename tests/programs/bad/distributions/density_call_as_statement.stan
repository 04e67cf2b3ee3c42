// A density called as a statement: the forgotten `target +=` would drop it from the model.
parameters { real mu; }
model {
  normal_lpdf(mu | 0, 1);
  normal_lupdf(mu | 0, 1);
  poisson_lpmf(3 | exp(mu));
  normal_lcdf(mu | 0, 1);
  exp(mu);
}
