parameters { vector[K] v; } model { v ~ normal(0, 1); }
