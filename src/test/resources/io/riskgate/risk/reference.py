#!/usr/bin/env python3
"""Independent reference values for the io.riskgate.risk tests, computed with numpy and scipy.

Run: python3 src/test/resources/io/riskgate/risk/reference.py   (numpy 2.4.6, scipy 1.17.1 when written)

The series are the closed forms in io.riskgate.risk.ReferenceSeries (Java), rebuilt here term by term; nothing
below calls the Java code or shares its algorithms: quantiles come from numpy's 'inverted_cdf' method, normal
quantiles and densities from scipy.stats.norm, correlations from numpy.corrcoef, the ATR from a pandas-free
recursive form written from Wilder's definition.
"""
import math

import numpy as np

np.set_printoptions(legacy="1.25")
from scipy.stats import norm


def wave(n, k):
    """ReferenceSeries.wave(n, k): returns r_t, t = 1..n, of symbol k."""
    return np.array([0.01 * math.sin(0.9 * t)
                     + 0.015 * math.sin(0.37 * t * (k + 2) + k)
                     + 0.002 * math.cos(2.1 * t + 3 * k)
                     + 0.0005 * k
                     for t in range(1, n + 1)])


def historical(r, c, h=1):
    # inverse empirical CDF (Hyndman-Fan type 1) at the tail probability. 1 - 0.95 is 0.050000000000000044 in
    # floating point, and numpy then takes 120 x p = 6.000000000000005 as "more than 6" and ranks the 7th-lowest;
    # round(1 - c, 12) asks for the 5% tail actually meant (the Java code absorbs the same error with a tolerance)
    q = np.quantile(r, round(1 - c, 12), method='inverted_cdf')
    tail = np.sort(r)[:int(np.searchsorted(np.sort(r), q, side='right'))]
    return -q * math.sqrt(h), -tail.mean() * math.sqrt(h)


def parametric(r, c, h=1):
    mu, sd = r.mean(), r.std(ddof=1)
    z = norm.ppf(c)
    return z * sd * math.sqrt(h) - mu * h, sd * math.sqrt(h) * norm.pdf(z) / (1 - c) - mu * h


print("== VaR of wave(250, 0)")
r = wave(250, 0)
for c in (0.95, 0.99):
    print(f"historical c={c}: VaR={historical(r, c)[0]!r} ES={historical(r, c)[1]!r}")
    print(f"parametric c={c}: VaR={parametric(r, c)[0]!r} ES={parametric(r, c)[1]!r}")
print(f"parametric c=0.99 h=10: {parametric(r, 0.99, 10)!r}")

print("== portfolio of wave(120, 0..2), notionals 6000, -2500, 4000 on value 10000")
w = np.array([0.6, -0.25, 0.4])
R = np.column_stack([wave(120, k) for k in range(3)])
p = R @ w
print(f"historical 0.95: {historical(p, 0.95)!r}")
print(f"parametric 0.95: {parametric(p, 0.95)!r}")
cov = np.cov(R, rowvar=False)
print(f"parametric via w'Sigma w: sigma_p={math.sqrt(w @ cov @ w)!r} (series sd {p.std(ddof=1)!r})")
print(f"undiversified historical 0.95: {sum(historical(R[:, i] * w[i], 0.95)[0] for i in range(3))!r}")
print(f"undiversified parametric 0.95: {sum(parametric(R[:, i] * w[i], 0.95)[0] for i in range(3))!r}")
sig = R.std(axis=0, ddof=1)
print(f"diversification ratio: weighted={np.abs(w) @ sig!r} portfolio={p.std(ddof=1)!r} "
      f"ratio={(np.abs(w) @ sig) / p.std(ddof=1)!r}")

print("== correlation of wave(60, 0..3)")
C = np.corrcoef(np.column_stack([wave(60, k) for k in range(4)]), rowvar=False)
for i in range(4):
    print("  " + ", ".join(repr(x) for x in C[i]))

print("== Hull, normal: z(0.99), 10-day 99% VaR of sigma 2% and 1% on $10M/$5M, rho 0.3")
z = norm.ppf(0.99)
s1, s2 = 200_000 * math.sqrt(10), 50_000 * math.sqrt(10)
sp = math.sqrt(s1 ** 2 + s2 ** 2 + 2 * 0.3 * s1 * s2)
print(f"z={z!r}  exact z: {s1 * z!r} {s2 * z!r} {sp * z!r}  Hull's z=2.33: {s1 * 2.33!r} {s2 * 2.33!r} {sp * 2.33!r}")
print(f"Hull ES example (sigma 20M, 99%): VaR={20 * z!r} ES={20 * norm.pdf(z) / 0.01!r}")

print("== Wilder ATR(14) and EMA(10) of ReferenceSeries.bars(40)")
t = np.arange(1, 41)
close = np.round(100 + 8 * np.sin(t / 6.0) + 0.15 * t, 2)
high = np.round(close + 1.2 + 0.8 * np.abs(np.sin(1.3 * t)), 2)
low = np.round(close - 1.0 - 0.9 * np.abs(np.cos(0.7 * t)), 2)
# gap bars: every 9th bar opens away from the previous close (true range wider than high - low)
for i in range(8, 40, 9):
    close[i] += 3; high[i] += 3; low[i] += 3
# the Java test holds the bars as the 2-decimal literals printed below; compute from exactly those
high, low, close = (np.array([float(f"{x:.2f}") for x in a]) for a in (high, low, close))
tr = [high[0] - low[0]] + [max(high[i] - low[i], abs(high[i] - close[i - 1]), abs(low[i] - close[i - 1]))
                           for i in range(1, 40)]
atr = [None] * 40
atr[13] = sum(tr[:14]) / 14
for i in range(14, 40):
    atr[i] = atr[i - 1] + (tr[i] - atr[i - 1]) / 14      # Wilder's smoothing written as an update
print(f"ATR14 after bar 14: {atr[13]!r}, 15: {atr[14]!r}, 40: {atr[39]!r}")
ema = [None] * 40
ema[9] = close[:10].mean()
for i in range(10, 40):
    ema[i] = ema[i - 1] + 2 / 11 * (close[i] - ema[i - 1])
print(f"EMA10 after bar 10: {ema[9]!r}, 11: {ema[10]!r}, 40: {ema[39]!r}")
print("bars (high, low, close):")
for i in range(40):
    print(f"  {high[i]:.2f}, {low[i]:.2f}, {close[i]:.2f}")

print("== Hull's two stocks as fractions of $15M: diversification ratio")
weighted = 10 / 15 * 0.02 + 5 / 15 * 0.01
sigma_p = math.sqrt((10 / 15 * 0.02) ** 2 + (5 / 15 * 0.01) ** 2 + 2 * 0.3 * (10 / 15 * 0.02) * (5 / 15 * 0.01))
print(f"weighted={weighted!r} sigma_p={sigma_p!r} ratio={weighted / sigma_p!r}")

print("== normal, mean 0.001, sd 0.01, 95%")
z = norm.ppf(0.95)
print(f"z={z!r} phi(z)={norm.pdf(z)!r} VaR={z * 0.01 - 0.001!r} ES={0.01 * norm.pdf(z) / 0.05 - 0.001!r}")
