functions { real f(real x) { target += x; return x; } } parameters { real y; } model { y ~ normal(f(1.0), 1); }
