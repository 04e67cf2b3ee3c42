functions { real f(real x, real y) { return x + y; } } parameters { real z; } model { z ~ normal(f(1.0), 1); }
