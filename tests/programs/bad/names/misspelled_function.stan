parameters { real x; } model { target += nromal_lpdf(x | 0, 1); }
