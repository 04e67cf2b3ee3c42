// A real used as a condition: Stan 2.34 removed the "nonzero real is true" rule.
data { real threshold; }
parameters { real mu; }
model {
  if (threshold) {
    mu ~ normal(0, 1);
  } else {
    mu ~ normal(0, 10);
  }
}
