model {
  if (a) if (b) x = 1; else x = 2;
  if (a) { x = 1; } else if (b) x = 2; else { x = 3; }
  if (a)
    for (i in 1:3)
      while (c) x = 1;
  else
    x = 2;
}
