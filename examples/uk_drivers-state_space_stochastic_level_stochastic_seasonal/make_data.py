"""Writes data.json: a synthetic stand-in for posteriordb's uk_drivers data (not on this
machine). n = 192 monthly log counts with a slowly drifting level, a fixed seasonal pattern
and noise; x is a log price that drifts; w is 0 until month 170 and 1 after (an intervention
that lowers the counts). Seeded, so running it again gives the same file."""

import json
import math
import random

rng = random.Random(1969)
n = 192
season = [0.05 * math.cos(2 * math.pi * m / 12) + 0.08 * math.sin(2 * math.pi * m / 12) for m in range(12)]
season = [s - sum(season) / 12 for s in season]
level, price = 7.45, -2.25
y, x, w = [], [], []
for t in range(n):
    level += rng.gauss(0, 0.01)
    price += rng.gauss(0, 0.02)
    belt = 1.0 if t >= 169 else 0.0
    y.append(round(level + season[t % 12] - 0.3 * (price + 2.25) - 0.2 * belt + rng.gauss(0, 0.03), 6))
    x.append(round(price, 6))
    w.append(belt)
with open("data.json", "w") as f:
    json.dump({"n": n, "y": y, "x": x, "w": w}, f)
    f.write("\n")
