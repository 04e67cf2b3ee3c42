parameters { real x; } model { x ~ while(0, 1); }
