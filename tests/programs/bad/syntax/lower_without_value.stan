parameters { real<lower> x; } model { }
