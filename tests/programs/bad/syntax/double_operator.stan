parameters { real x; } model { target += x * * x; }
