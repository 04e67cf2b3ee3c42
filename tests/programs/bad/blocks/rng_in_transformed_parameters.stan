parameters { real x; } transformed parameters { real y = normal_rng(0, 1); } model { x ~ normal(0, 1); }
