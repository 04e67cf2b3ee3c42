functions { real f(real x) { x = 2; return x; } } parameters { real z; } model { z ~ normal(f(1.0), 1); }
