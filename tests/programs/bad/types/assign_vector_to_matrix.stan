parameters { vector[3] v; } model { matrix[3,3] m = v; }
