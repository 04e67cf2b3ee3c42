parameters { real x; } model { vector[2] v = x > 0 ? [1, 2]' : 3; }
