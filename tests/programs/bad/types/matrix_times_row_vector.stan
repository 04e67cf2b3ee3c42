data { matrix[3,3] A; row_vector[3] r; } transformed data { vector[3] x = A * r; }
