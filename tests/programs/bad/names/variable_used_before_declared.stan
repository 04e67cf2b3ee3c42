parameters { real x; } model { y = x; real y; }
