parameters { vector[2] v; } model { if (v) target += 1; }
