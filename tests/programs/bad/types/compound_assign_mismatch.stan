parameters { real x; } model { vector[2] v; v += x * [1, 2]; }
