functions { void f(real x) { print(x); } } parameters { real y; } model { y ~ normal(f(1.0), 1); }
