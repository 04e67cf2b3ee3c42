model { /* never closed }
