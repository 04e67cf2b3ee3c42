// A random draw called as a statement: its value is thrown away.
data { int N; vector[N] y; }
transformed data {
  sort_asc(y);
  normal_rng(0, 1);
}
parameters { real mu; }
model { mu ~ normal(0, 1); }
