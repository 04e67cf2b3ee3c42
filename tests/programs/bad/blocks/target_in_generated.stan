parameters { real x; } model { x ~ normal(0, 1); } generated quantities { target += 1; }
