// `normal` has no mass function: the hint gives the density.
data { int k; } parameters { real mu; } model { k ~ poisson(mu); target += normal_lpmf(k | mu, 1); }
