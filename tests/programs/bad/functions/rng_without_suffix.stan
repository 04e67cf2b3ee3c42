functions { real f(real x) { return normal_rng(x, 1); } } generated quantities { real z = f(1.0); }
