#!/usr/bin/env python3
"""Draw the self-made illustrations that ship with the sample records.

The sample records come from news articles whose own photos we may not
republish, so a few records carry flat-style illustrations drawn here,
procedurally, with Pillow only. Every random choice comes from a fixed seed,
so running the script again writes the same pictures.

Each scene is drawn at SS times its final size and downscaled with LANCZOS
(supersampling is the anti-aliasing). The JPEGs are baseline, quality 88,
sRGB, with no EXIF, no ICC profile and no comment.

    .venv/bin/python tools/draw_samples.py              # draw every image
    .venv/bin/python tools/draw_samples.py duong-hoa    # only files whose name contains "duong-hoa"
    .venv/bin/python tools/draw_samples.py --preview /tmp/previews   # also save small PNG previews
"""

from __future__ import annotations

import argparse
import math
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = ROOT / "content" / "entries"
SS = 2  # supersampling factor
JPEG_QUALITY = 88


# --------------------------------------------------------------------------
# Colour helpers
# --------------------------------------------------------------------------

def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))


def mix(a, b, t: float) -> tuple[int, int, int]:
    """Linear blend of two RGB colours; t=0 gives a, t=1 gives b."""
    t = max(0.0, min(1.0, t))
    return tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3))


def shade(c, t: float):
    """Darken (t<0, towards a warm near-black) or lighten (t>0, towards white)."""
    return mix(c, (255, 255, 255), t) if t >= 0 else mix(c, (30, 22, 30), -t)


def alpha(c, a: float) -> tuple[int, int, int, int]:
    return (*c[:3], max(0, min(255, round(a * 255))))


def sample(stops, t: float):
    """Colour at t along a list of (position, colour) stops, smoothstepped."""
    if t <= stops[0][0]:
        return stops[0][1]
    for (t0, c0), (t1, c1) in zip(stops, stops[1:]):
        if t <= t1:
            u = (t - t0) / (t1 - t0) if t1 > t0 else 1.0
            return mix(c0, c1, u * u * (3 - 2 * u))
    return stops[-1][1]


# --------------------------------------------------------------------------
# Geometry helpers (all in output pixels; the Pen scales to the canvas)
# --------------------------------------------------------------------------

def ellipse_pts(cx, cy, rx, ry, rot=0.0, n=28, squash=1.0):
    """Points of a (rotated) ellipse; squash scales the result vertically about cy."""
    cr, sr = math.cos(rot), math.sin(rot)
    out = []
    for i in range(n):
        a = 2 * math.pi * i / n
        x, y = rx * math.cos(a), ry * math.sin(a)
        out.append((cx + x * cr - y * sr, cy + (x * sr + y * cr) * squash))
    return out


def smooth_noise(rng: random.Random, octaves=4):
    """A 1-D smooth noise function f(x) in about [-1, 1]: a sum of random sines."""
    waves = [(rng.uniform(0.6, 1.4) * 2 ** i, rng.uniform(0, 2 * math.pi), 0.55 ** i) for i in range(octaves)]
    norm = sum(w[2] for w in waves)
    return lambda x: sum(a * math.sin(f * x + p) for f, p, a in waves) / norm


class Pen:
    """Draws on an ImageDraw with coordinates in output pixels."""

    def __init__(self, draw: ImageDraw.ImageDraw, scale: float):
        self.d, self.s = draw, scale

    def _p(self, pts):
        return [(x * self.s, y * self.s) for x, y in pts]

    def poly(self, pts, fill):
        if len(pts) >= 3:
            self.d.polygon(self._p(pts), fill=fill)

    def ellipse(self, cx, cy, rx, ry, fill):
        s = self.s
        self.d.ellipse([(cx - rx) * s, (cy - ry) * s, (cx + rx) * s, (cy + ry) * s], fill=fill)

    def circle(self, cx, cy, r, fill):
        self.ellipse(cx, cy, r, r, fill)

    def rect(self, x0, y0, x1, y1, fill):
        s = self.s
        self.d.rectangle([min(x0, x1) * s, min(y0, y1) * s, max(x0, x1) * s, max(y0, y1) * s], fill=fill)

    def rrect(self, x0, y0, x1, y1, r, fill):
        s = self.s
        self.d.rounded_rectangle([x0 * s, y0 * s, x1 * s, y1 * s], radius=r * s, fill=fill)

    def line(self, pts, fill, width):
        self.d.line(self._p(pts), fill=fill, width=max(1, round(width * self.s)), joint="curve")

    def thick(self, a, b, w0, w1, fill):
        """A tapered stroke from a (width w0) to b (width w1), as a polygon."""
        dx, dy = b[0] - a[0], b[1] - a[1]
        n = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / n, dx / n
        self.poly([(a[0] + nx * w0 / 2, a[1] + ny * w0 / 2), (b[0] + nx * w1 / 2, b[1] + ny * w1 / 2),
                   (b[0] - nx * w1 / 2, b[1] - ny * w1 / 2), (a[0] - nx * w0 / 2, a[1] - ny * w0 / 2)], fill)


class Canvas:
    """An RGB image drawn at SS times the output size, plus soft-light helpers."""

    def __init__(self, w: int, h: int, bg=(255, 255, 255)):
        self.w, self.h = w, h
        self.img = Image.new("RGB", (w * SS, h * SS), bg)  # never replaced, only painted on
        self.pen = Pen(ImageDraw.Draw(self.img, "RGBA"), SS)

    def mask(self) -> tuple[Image.Image, Pen]:
        m = Image.new("L", self.img.size, 0)
        return m, Pen(ImageDraw.Draw(m), SS)

    def vgradient(self, y0, y1, stops, x0=0, x1=None):
        """Fill the band y0..y1 with a vertical gradient."""
        x1 = self.w if x1 is None else x1
        h = max(1, round((y1 - y0) * SS))
        col = Image.new("RGB", (1, h))
        px = col.load()
        for y in range(h):
            px[0, y] = sample(stops, y / max(1, h - 1))
        band = col.resize((max(1, round((x1 - x0) * SS)), h), Image.NEAREST)
        self.img.paste(band, (round(x0 * SS), round(y0 * SS)))

    def paint(self, m: Image.Image, colour, blur=0.0, opacity=1.0, mode="normal"):
        """Paint `colour` through mask m (blur in output pixels); mode 'screen' adds light.

        Only the mask's bounding box (plus the blur's reach) is processed."""
        box = m.getbbox()
        if box is None:
            return
        pad = int(blur * SS * 3) + 2
        w, h = self.img.size
        box = (max(0, box[0] - pad), max(0, box[1] - pad), min(w, box[2] + pad), min(h, box[3] + pad))
        m = m.crop(box)
        if blur > 0:
            m = m.filter(ImageFilter.GaussianBlur(blur * SS))
        if opacity < 1.0:
            m = m.point(lambda v: round(v * opacity))
        region = self.img.crop(box)
        if mode == "normal":
            region.paste(colour, mask=m)
        else:
            layer = Image.new("RGB", region.size, (0, 0, 0))
            layer.paste(colour, mask=m)
            region = ImageChops.screen(region, layer) if mode == "screen" else ImageChops.add(region, layer)
        # paste into the same image object, so pens held by callers stay valid
        self.img.paste(region, box[:2])

    def soft(self, draw_fn, colour, blur=0.0, opacity=1.0, mode="normal"):
        """Draw shapes (draw_fn(pen) with fill=255) into a mask, blur, and paint them."""
        m, p = self.mask()
        draw_fn(p)
        self.paint(m, colour, blur, opacity, mode)

    def glow(self, cx, cy, r, colour, strength=1.0, falloff=2.0):
        """A radial light of radius r added with screen blending."""
        d = max(2, round(2 * r * SS))
        g = Image.radial_gradient("L").resize((d, d), Image.BILINEAR)
        # radial_gradient is 0 at the centre and 181 at the edge midpoints (255 in the corners).
        g = g.point(lambda v: round(255 * strength * max(0.0, 1 - v / 181) ** falloff))
        box = (round(cx * SS) - d // 2, round(cy * SS) - d // 2)
        region = self.img.crop((box[0], box[1], box[0] + d, box[1] + d))
        layer = Image.new("RGB", (d, d), (0, 0, 0))
        layer.paste(colour, mask=g)
        self.img.paste(ImageChops.screen(region, layer), box)

    def vignette(self, colour=(10, 10, 25), strength=0.45):
        """Darken the corners a little to hold the eye in the picture."""
        g = Image.radial_gradient("L").resize(self.img.size, Image.BILINEAR)
        g = g.point(lambda v: round(255 * strength * max(0.0, (v - 120) / 135) ** 1.6))
        self.img.paste(colour, mask=g)

    def blur(self, radius):
        self.img.paste(self.img.filter(ImageFilter.GaussianBlur(radius * SS)))

    def result(self) -> Image.Image:
        return self.img.resize((self.w, self.h), Image.LANCZOS)


# --------------------------------------------------------------------------
# A one-point perspective camera for street and field scenes
# --------------------------------------------------------------------------

class Persp:
    """World: X right, Y up, Z away from the camera, in metres. Screen: output pixels."""

    def __init__(self, cx, horizon, f, cam_h, cam_x=0.0, bend=None):
        self.cx, self.hy, self.f, self.cam_h, self.cam_x = cx, horizon, f, cam_h, cam_x
        self.bend = bend or (lambda z: 0.0)  # lateral drift of the world with depth: a curving road

    def pt(self, x, y, z):
        z = max(z, 0.05)
        return (self.cx + self.f * (x + self.bend(z) - self.cam_x) / z, self.hy + self.f * (self.cam_h - y) / z)

    def strip(self, x0, x1, y, z0, z1, n=40):
        """A ground band between X=x0 and X=x1 from depth z0 to z1, sampled so curves stay smooth."""
        zs = [z0 * (z1 / z0) ** (i / n) for i in range(n + 1)]
        return [self.pt(x0, y, z) for z in zs] + [self.pt(x1, y, z) for z in reversed(zs)]

    def px(self, z):
        """Output pixels per metre at depth z."""
        return self.f / max(z, 0.05)

    def xquad(self, x, y0, y1, z0, z1):
        """A rectangle on the plane X=x (a wall along the street)."""
        return [self.pt(x, y0, z0), self.pt(x, y0, z1), self.pt(x, y1, z1), self.pt(x, y1, z0)]

    def zquad(self, x0, x1, y0, y1, z):
        """A rectangle on the plane Z=z (a wall facing the camera)."""
        return [self.pt(x0, y0, z), self.pt(x1, y0, z), self.pt(x1, y1, z), self.pt(x0, y1, z)]


def fogged(c, z, haze, dist):
    """Atmospheric perspective: colours fade towards the haze with distance."""
    return mix(c, haze, 1 - math.exp(-z / dist))


# --------------------------------------------------------------------------
# Scenery toolkit
# --------------------------------------------------------------------------

PAL = {
    "sky_top": rgb("#6fa8d6"), "sky_mid": rgb("#a9cfe6"), "sky_low": rgb("#fbe3c4"),
    "cloud": rgb("#fffaf2"), "cloud_shade": rgb("#e9dcd3"),
    "far_hill": rgb("#a7b8c9"), "karst": rgb("#7f9aa3"),
    "leaf_dark": rgb("#2f6b3f"), "leaf": rgb("#4f8f47"), "leaf_light": rgb("#86b95a"),
    "rice": rgb("#8cc152"), "rice_dark": rgb("#6aa33f"), "rice_light": rgb("#b5d86a"),
    "road": rgb("#6d6a70"), "road_light": rgb("#8a8690"), "paint": rgb("#f4f1ea"),
    "concrete": rgb("#cfc8bd"),
    "roof": rgb("#c4553a"), "wall": rgb("#f3dfb8"),
    "trunk": rgb("#6b4a3a"), "water": rgb("#8ec3dc"),
}
FLOWERS = {
    "magenta": (rgb("#d63a7b"), rgb("#ffd166")), "pink": (rgb("#f49ac1"), rgb("#ffe08a")),
    "yellow": (rgb("#ffc93c"), rgb("#e08a1e")), "orange": (rgb("#f78c2f"), rgb("#b5541a")),
    "white": (rgb("#fff7ea"), rgb("#f2b134")), "purple": (rgb("#9d6ad8"), rgb("#ffe08a")),
    "red": (rgb("#e2473f"), rgb("#ffd166")),
}


def sky(c: Canvas, y1, stops, sun=None):
    c.vgradient(0, y1, stops)
    if sun:
        x, y, r, col = sun
        c.glow(x, y, r * 6, col, 0.55, 2.2)
        c.glow(x, y, r * 2.2, col, 0.7, 1.6)
        c.pen.circle(x, y, r, alpha(mix(col, (255, 255, 255), 0.6), 1))


def cloud(c: Canvas, x, y, w, rng: random.Random, colour=None, shade_col=None, opacity=0.95):
    """A flat-bottomed cumulus: a row of overlapping puffs, shaded underneath."""
    colour = colour or PAL["cloud"]
    shade_col = shade_col or PAL["cloud_shade"]
    puffs = []
    n = rng.randint(4, 6)
    for i in range(n):
        t = (i + 0.5) / n
        r = w * (0.12 + 0.16 * math.sin(math.pi * t) * rng.uniform(0.7, 1.15))
        puffs.append((x - w / 2 + w * t + rng.uniform(-0.04, 0.04) * w, y - r * rng.uniform(0.35, 0.7), r))

    def body(p, dy=0.0):
        for px_, py, r in puffs:
            p.circle(px_, py + dy, r, 255)

    m, p = c.mask()
    body(p)
    p.rect(x - w, y, x + w, y + w, 0)  # flat base
    c.paint(m, shade_col, 0.8, opacity)
    m, p = c.mask()
    body(p, -w * 0.035)
    p.rect(x - w, y - w * 0.06, x + w, y + w, 0)
    c.paint(m, colour, 0.8, opacity)


def karst(c: Canvas, base, peaks, colour, rng, bottom=None, light=None):
    """Limestone karst peaks (steep sides, rounded tops) like the hills of Thanh Liêm.

    peaks: (centre x, half width, height). `light` adds a lit left flank to each peak."""
    bottom = c.h if bottom is None else bottom
    f = smooth_noise(rng, 5)

    def height(x):
        h = 0.0
        for cx, hw, ph in peaks:
            t = abs(x - cx) / hw
            if t < 1:
                h = max(h, ph * (1 - t ** 2.4) ** 0.55)
        return h

    pts = []
    for x in range(-4, c.w + 8, 4):
        h = height(x)
        pts.append((x, base - h - (h > 0) * 6 * f(x * 0.05)))
    c.pen.poly(pts + [(c.w + 8, bottom), (-4, bottom)], colour)
    if light:
        for cx, hw, ph in peaks:
            lp = [(x, y) for x, y in pts if cx - hw <= x <= cx - hw * 0.15 and base - y > 2]
            if len(lp) > 2:
                inner = [(x + hw * 0.12 * (1 - (cx - x) / hw) + 10, y + ph * 0.12) for x, y in reversed(lp)]
                c.pen.poly(lp + inner, light)


def tree_round(p: Pen, x, y, h, rng, greens=None, trunk=None):
    """A flat-style broadleaf tree standing at (x, y), h pixels tall."""
    dark, mid, light = greens or (PAL["leaf_dark"], PAL["leaf"], PAL["leaf_light"])
    trunk = trunk or PAL["trunk"]
    p.thick((x, y), (x, y - h * 0.55), h * 0.07, h * 0.04, trunk)
    cy, r = y - h * 0.62, h * 0.3
    blobs = [(x + rng.uniform(-0.55, 0.55) * r, cy + rng.uniform(-0.45, 0.35) * r, r * rng.uniform(0.5, 0.75))
             for _ in range(7)]
    for bx, by, br in blobs:
        p.circle(bx, by, br, dark)
    for bx, by, br in blobs:
        p.circle(bx - br * 0.18, by - br * 0.2, br * 0.72, mid)
    for bx, by, br in blobs[:4]:
        p.circle(bx - br * 0.32, by - br * 0.36, br * 0.35, alpha(light, 0.9))


def tree_palm(p: Pen, x, y, h, rng, colour=None, trunk=None):
    """A slim areca palm (cây cau), common in northern Vietnamese villages."""
    colour = colour or PAL["leaf"]
    trunk = trunk or rgb("#8a7766")
    lean = rng.uniform(-0.08, 0.08) * h
    top = (x + lean, y - h)
    p.thick((x, y), top, h * 0.035, h * 0.022, trunk)
    for i in range(9):
        a = -math.pi / 2 + (i - 4) * 0.42 + rng.uniform(-0.1, 0.1)
        length = h * rng.uniform(0.22, 0.3)
        pts = []
        for k in range(9):
            t = k / 8
            droop = t * t * length * 0.55
            pts.append((top[0] + math.cos(a) * length * t, top[1] + math.sin(a) * length * t * 0.8 + droop))
        p.line(pts, colour, max(1.5, h * 0.028))


def house(p: Pen, x, y, w, h, rng, wall=None, roof=None, lit=None, door=None):
    """A front-facing village house with a tiled hip roof, standing on (x..x+w, y)."""
    wall = wall or PAL["wall"]
    roof = roof or PAL["roof"]
    door = door or rgb("#7a4b35")
    body_h = h * 0.58
    p.rect(x, y - body_h, x + w, y, wall)
    p.rect(x, y - body_h * 0.12, x + w, y, shade(wall, -0.15))
    over = w * 0.08
    p.poly([(x - over, y - body_h), (x + w + over, y - body_h), (x + w * 0.82, y - h), (x + w * 0.18, y - h)], roof)
    p.poly([(x - over, y - body_h), (x + w + over, y - body_h), (x + w + over * 0.6, y - body_h - h * 0.05),
            (x - over * 0.6, y - body_h - h * 0.05)], shade(roof, -0.25))
    win = lit or rgb("#5b6f7d")
    dw = w * 0.18
    p.rect(x + w / 2 - dw / 2, y - body_h * 0.72, x + w / 2 + dw / 2, y, lit or door)
    for wx in (x + w * 0.18, x + w * 0.68):
        p.rect(wx, y - body_h * 0.7, wx + w * 0.14, y - body_h * 0.36, win)


def lamp_post(p: Pen, P: Persp, x, z, height, arm, colour, head):
    """A street lamp in perspective: pole at (x, z), arm reaching over the lane by `arm` metres."""
    base, top = P.pt(x, 0, z), P.pt(x, height, z)
    s = P.px(z)
    p.thick(base, top, 0.16 * s, 0.09 * s, colour)
    p.rect(base[0] - 0.13 * s, base[1] - 0.5 * s, base[0] + 0.13 * s, base[1], shade(colour, -0.2))
    tip = P.pt(x - arm, height + 0.25, z)
    mid = P.pt(x - arm * 0.5, height + 0.35, z)
    p.line([top, mid, tip], colour, 0.07 * s)
    hx, hy = tip
    p.poly([(hx - 0.35 * s, hy + 0.05 * s), (hx + 0.2 * s, hy - 0.05 * s), (hx + 0.25 * s, hy + 0.08 * s),
            (hx - 0.3 * s, hy + 0.2 * s)], shade(colour, -0.1))
    p.ellipse(hx - 0.05 * s, hy + 0.17 * s, 0.24 * s, 0.07 * s, head)
    return hx - 0.05 * s, hy + 0.2 * s


def _squashed(pts, cy, squash):
    return [(x, cy + (y - cy) * squash) for x, y in pts]


def leaf_shape(cx, cy, length, width, angle, squash=1.0, base_y=None):
    """A pointed leaf from (cx, cy) pointing at `angle`."""
    half = []
    for i in range(13):
        t = i / 12
        half.append((t * length, width * math.sin(math.pi * t) ** 0.8))
    pts = half + [(x, -y) for x, y in reversed(half)]
    ca, sa = math.cos(angle), math.sin(angle)
    out = [(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in pts]
    return _squashed(out, cy if base_y is None else base_y, squash)


def petal_flower(p: Pen, cx, cy, r, colour, centre, rng, petals=None, squash=1.0, edge=None):
    """A flower seen from above and foreshortened by `squash` (1 = face-on)."""
    if r < 1.2:
        p.ellipse(cx, cy, r, r * squash, colour)
        return
    petals = petals or rng.choice((5, 6, 8))
    rot = rng.uniform(0, math.pi)
    if edge is not None:  # a slightly darker rim gives small flowers some definition
        p.ellipse(cx, cy + r * 0.08 * squash, r * 1.02, r * 1.02 * squash, edge)
    light = shade(colour, 0.28)
    for i in range(petals):
        a = rot + 2 * math.pi * i / petals
        px_, py = cx + math.cos(a) * r * 0.52, cy + math.sin(a) * r * 0.52
        p.poly(_squashed(ellipse_pts(px_, py, r * 0.5, r * (0.3 if petals <= 6 else 0.24), a, 18), cy, squash), colour)
        if r > 9:
            hx, hy = cx + math.cos(a) * r * 0.5, cy + math.sin(a) * r * 0.5
            p.poly(_squashed(ellipse_pts(hx, hy, r * 0.3, r * 0.09, a, 12), cy, squash), alpha(light, 0.55))
    p.ellipse(cx, cy, r * 0.24, r * 0.24 * squash, centre)
    if r > 14:
        for _ in range(7):
            a, d = rng.uniform(0, 2 * math.pi), rng.uniform(0, r * 0.16)
            p.circle(cx + math.cos(a) * d, cy + math.sin(a) * d * squash, r * 0.035, shade(centre, -0.35))


def pompom_flower(p: Pen, cx, cy, r, colour, rng, squash=1.0):
    """A marigold (cúc vạn thọ): rings of ruffled petals, darker at the base."""
    if r < 2:
        p.ellipse(cx, cy, r, r * squash, colour)
        return
    p.ellipse(cx, cy + r * 0.06, r * 1.02, r * 1.02 * squash, shade(colour, -0.3))
    for k, rr in enumerate((1.0, 0.78, 0.55, 0.32)):
        col = shade(colour, -0.12 + 0.09 * k)
        lift = k * r * 0.07
        n = max(7, int(6 + 10 * rr + r * 0.25 * rr))
        bump = r * rr * (0.26 if k < 3 else 0.4)
        p.ellipse(cx, cy - lift, r * rr - bump * 0.7, (r * rr - bump * 0.7) * squash, col)
        for i in range(n):
            a = 2 * math.pi * (i + 0.5 * k) / n + rng.uniform(-0.1, 0.1)
            bx, by = cx + math.cos(a) * (r * rr - bump), cy - lift + math.sin(a) * (r * rr - bump) * squash
            if r > 6:
                p.ellipse(bx, by + bump * 0.2 * squash, bump, bump * squash, shade(col, -0.2))
            p.ellipse(bx, by, bump * 0.85, bump * 0.85 * squash, col)


def bloom(p: Pen, x, y, r, name, rng, squash=1.0, tint=lambda col: col, leaves=True):
    """One bedding plant seen from above: leaves, then a cosmos-like or marigold-like flower."""
    petal, centre = FLOWERS[name]
    if leaves:
        dark = tint(PAL["leaf_dark"] if rng.random() < 0.5 else PAL["leaf"])
        if r > 7:
            for _ in range(5):
                a = rng.uniform(0, 2 * math.pi)
                lp = leaf_shape(x, y + r * 0.2, r * rng.uniform(1.2, 1.8), r * 0.4, a, squash, y)
                p.poly(lp, dark)
                tip = lp[12]
                p.line([(x, y + r * 0.2 * squash), tip], alpha(tint(PAL["leaf_light"]), 0.6), max(0.6, r * 0.04))
        else:
            p.ellipse(x + rng.uniform(-0.6, 0.6) * r, y + r * 0.45 * squash, r * 1.1, r * 0.6 * squash, dark)
    if name in ("yellow", "orange") and rng.random() < 0.65:
        pompom_flower(p, x, y, r * 0.9, tint(petal), rng, squash)
    else:
        petal_flower(p, x, y, r, tint(petal), tint(centre), rng, squash=squash,
                     edge=tint(shade(petal, -0.25)) if r > 3 else None)


def steam(c: Canvas, x, y, h, rng, width=1.0, opacity=0.6):
    """Curling wisps of steam rising from (x, y), h pixels tall."""
    m, p = c.mask()
    for k in range(3):
        ox = (k - 1) * 22 * width
        phase, freq = rng.uniform(0, 2 * math.pi), rng.uniform(4.0, 6.5)
        amp, hk = rng.uniform(10, 16) * width, h * rng.uniform(0.7, 1.0)
        pts = []
        for i in range(41):
            t = i / 40
            pts.append((x + ox * (1 - 0.5 * t) + math.sin(phase + t * freq) * amp * (0.3 + t), y - t * hk))
        for i in range(40):
            t = i / 40
            p.line([pts[i], pts[i + 1]], round(255 * (1 - t) ** 1.2 * min(1.0, t * 6)), (7 - 4 * t) * width)
    c.paint(m, (255, 255, 255), 2.2 * width, opacity)


# --------------------------------------------------------------------------
# Shared pieces of the Thanh Liêm countryside
# --------------------------------------------------------------------------

def countryside_backdrop(c: Canvas, horizon, rng, sun=(1830, 250, 46, rgb("#fff1c9"))):
    """Warm morning sky, clouds and the limestone hills of Thanh Liêm behind the fields."""
    sky(c, horizon + 2, [(0, PAL["sky_top"]), (0.55, PAL["sky_mid"]), (1, PAL["sky_low"])], sun)
    for x, y, w in ((420, 230, 430), (1180, 140, 300), (1560, 330, 360), (2180, 170, 260)):
        cloud(c, x, y, w, rng)
    haze = PAL["sky_low"]
    karst(c, horizon + 4, [(180, 110, 140), (330, 80, 110), (470, 95, 215), (600, 80, 150), (700, 110, 95),
                            (1560, 90, 150), (1700, 80, 195), (1850, 120, 245), (1990, 70, 170), (2150, 110, 140),
                            (2330, 90, 120)],
          mix(PAL["far_hill"], haze, 0.35), rng, light=mix(PAL["far_hill"], haze, 0.6))
    karst(c, horizon + 4, [(60, 90, 95), (150, 60, 70), (880, 90, 85), (990, 60, 60), (1380, 80, 70),
                            (2000, 100, 95), (2100, 60, 120)],
          mix(PAL["karst"], haze, 0.2), rng, light=mix(PAL["karst"], haze, 0.45))


def village_treeline(c: Canvas, horizon, rng, x0=0, x1=None, scale=1.0, haze=None, fade=0.45):
    """A distant band of trees, areca palms and a few roofs sitting on the horizon."""
    x1 = c.w if x1 is None else x1
    haze = haze or PAL["sky_low"]
    greens = tuple(mix(g, haze, fade) for g in (PAL["leaf_dark"], PAL["leaf"], PAL["leaf_light"]))
    p = c.pen
    p.rect(x0, horizon - 10 * scale, x1, horizon + 3, greens[0])
    x = x0 - 20
    while x < x1 + 20:
        kind = rng.random()
        if kind < 0.18:
            w = rng.uniform(34, 52) * scale
            house(p, x, horizon + 2, w, w * 0.75, rng, wall=mix(PAL["wall"], haze, fade * 0.8),
                  roof=mix(PAL["roof"], haze, fade * 0.8))
            x += w + 6
        elif kind < 0.35:
            tree_palm(p, x, horizon + 2, rng.uniform(55, 80) * scale, rng, greens[1], mix(rgb("#8a7766"), haze, fade))
            x += 14 * scale
        else:
            tree_round(p, x, horizon + 4, rng.uniform(40, 75) * scale, rng, greens, mix(PAL["trunk"], haze, fade))
            x += rng.uniform(16, 30) * scale


def paddy_patchwork(c: Canvas, P: Persp, x_near, x_far, z0, z1, rng, haze, side=1, fog=380.0, flooded=0.04):
    """Rice plots of different greens (a few flooded, mirroring the sky), with paler dikes between them."""
    p = c.pen
    greens = (rgb("#7fbf4d"), rgb("#5e9e3a"), rgb("#a9d05f"), rgb("#c2cd66"), rgb("#4f8a3a"), rgb("#93c653"))
    water = mix(PAL["water"], PAL["sky_low"], 0.35)
    dike = rgb("#e6dfa6")
    z = z0
    while z < z1:
        depth = rng.uniform(10, 18) * (1 + z / 150)
        x = x_near
        while x < x_far:
            width = rng.uniform(10, 22) * (1 + z / 300)
            a, b = sorted((x * side, (x + width) * side))
            is_water = rng.random() < flooded
            base = water if is_water else rng.choice(greens)
            col = fogged(base, z, haze, fog)
            p.poly(P.strip(a, b, 0, z, z + depth, 6), col)
            if is_water:  # a sky glint on the flooded plot
                p.poly(P.strip(a + width * 0.2, b - width * 0.3, 0.001, z + depth * 0.3, z + depth * 0.45, 3),
                       alpha(shade(col, 0.35), 0.6))
            elif P.px(z) > 2.5:  # rice rows running away from the viewer
                rows = max(2, int(width / 1.6))
                for k in range(1, rows):
                    xr = a + (b - a) * k / rows
                    a0, a1 = P.pt(xr, 0, z), P.pt(xr, 0, z + depth)
                    p.line([a0, a1], alpha(shade(col, -0.14), 0.5), max(0.6, 0.1 * P.px(z + depth)))
            # dike along the plot's outer side
            e = b if side > 0 else a
            p.poly(P.strip(e - 0.25, e + 0.25, 0.06, z, z + depth, 6), fogged(dike, z, haze, fog))
            x += width
        a, b = sorted((x_near * side, x_far * side))
        p.poly(P.strip(a, b, 0.06, z + depth - 0.45, z + depth, 2), fogged(dike, z + depth, haze, fog))
        z += depth


# --------------------------------------------------------------------------
# Scene: "Đường hoa quân sự" — a provincial road lined with flower beds
# --------------------------------------------------------------------------

BED_COLOURS = ("magenta", "yellow", "pink", "orange", "white", "purple", "red", "yellow")


def flower_road_world(c: Canvas, P: Persp, rng, horizon, haze, z_far=420.0, bed=(3.8, 5.4), beds_both=True,
                      detail_z=90.0, flower_r=0.045, density=70, trees=True, seg_len=9.0, tree_start=6.0,
                      rows=None):
    """Road, shoulders, raised flower beds and young trees, far to near.

    `rows`, if given, plants colours in rows along the bed (road side first) instead of in blocks."""
    p = c.pen
    z_near = 0.6
    # Road surface, shoulders, lines.
    road_far, road_near = fogged(PAL["road_light"], 300, haze, 220), PAL["road"]
    for i in range(60, 0, -1):
        za, zb = z_near * (z_far / z_near) ** ((i - 1) / 60), z_near * (z_far / z_near) ** (i / 60)
        p.poly(P.strip(-3.5, 3.5, 0, za, zb, 2), mix(road_near, road_far, 1 - math.exp(-za / 90)))
    for sgn in (-1, 1):
        lo, hi = sorted((sgn * 3.5, sgn * bed[0]))
        p.poly(P.strip(lo, hi, 0.02, z_near, z_far), fogged(PAL["concrete"], 40, haze, 300))
        lo, hi = sorted((sgn * 3.15, sgn * 3.3))
        p.poly(P.strip(lo, hi, 0.005, z_near, z_far), alpha(PAL["paint"], 0.9))
    for lo, hi in ((-2.7, -2.2), (-1.35, -0.85), (0.85, 1.35), (2.2, 2.7)):  # worn wheel tracks
        p.poly(P.strip(lo, hi, 0.003, z_near, z_far), alpha(rgb("#3f3b45"), 0.08))
    z = 1.0
    while z < z_far:
        p.poly(P.strip(-0.07, 0.07, 0.005, z, z + 3.0, 2), alpha(PAL["paint"], 0.85))
        z += 9.0

    # Flower beds: segments with a dominant colour each (drawn far to near).
    sides = (-1, 1) if beds_both else (1,)
    segs = []
    z = 0.5
    k = 0
    while z < z_far:
        segs.append((z, z + seg_len, BED_COLOURS[k % len(BED_COLOURS)]))
        z += seg_len
        k += 1
    bed_h = 0.35
    curb = PAL["concrete"]
    flowers = []
    for sgn in sides:
        inner, outer = sorted((sgn * bed[0], sgn * bed[1]))
        near_x = inner if sgn > 0 else outer  # the face towards the road
        for za, zb, name in reversed(segs):
            fz = za
            fol = fogged(PAL["leaf_dark"], fz, haze, 260)
            # Near segments show green foliage between the flowers; far ones blur into the flower colour.
            far = min(1.0, max(0.0, (za - 12) / 45)) if za < detail_z else 1.0
            col = fogged(mix(PAL["leaf"], mix(FLOWERS[name][0], PAL["leaf"], 0.25), far), fz, haze, 260)
            p.poly(P.xquad(near_x, 0, bed_h, za, zb), fogged(shade(curb, -0.05), fz, haze, 260))
            p.poly(P.strip(inner, outer, bed_h, za, zb, 3), fol)
            if rows:
                n_rows = len(rows)
                for k, rn in enumerate(rows):
                    xa = near_x + sgn * (bed[1] - bed[0]) * k / n_rows
                    xb = near_x + sgn * (bed[1] - bed[0]) * (k + 1) / n_rows
                    lo, hi = sorted((xa, xb))
                    rc = fogged(mix(PAL["leaf"], mix(FLOWERS[rn][0], PAL["leaf"], 0.25), far), fz, haze, 260)
                    p.poly(P.strip(max(lo, inner + 0.1), min(hi, outer - 0.1), bed_h + 0.12, za, zb, 3), rc)
            else:
                p.poly(P.strip(inner + 0.12, outer - 0.12, bed_h + 0.12, za, zb, 3), col)
            if za < detail_z:
                n = int(density * (zb - za) * (bed[1] - bed[0]) * (1.6 if za < 25 else 1.0))
                for _ in range(n):
                    fx = rng.uniform(inner + 0.05, outer - 0.05)
                    fzz = rng.uniform(za, zb)
                    u = (fx - (inner + outer) / 2) / ((outer - inner) / 2)
                    fy = bed_h + 0.14 * (1 - u * u) + rng.uniform(0, 0.06)
                    if rows:
                        k = min(len(rows) - 1, int(abs(fx - near_x) / (bed[1] - bed[0]) * len(rows)))
                        nm = rows[k] if rng.random() < 0.9 else rng.choice(rows)
                    else:
                        nm = name if rng.random() < 0.82 else rng.choice(BED_COLOURS)
                    flowers.append((fzz, fx, fy, nm))
    # Young trees behind the beds.
    if trees:
        for sgn in sides:
            z = tree_start
            while z < z_far * 0.8:
                flowers.append((z + 0.01, sgn * (bed[1] + 1.2), 0.0, "tree"))
                z += 16.0
    flowers.sort(key=lambda f: -f[0])
    for fz, fx, fy, name in flowers:
        s = P.px(fz)
        if name == "tree":
            x, y = P.pt(fx, 0, fz)
            h = rng.uniform(3.6, 4.8) * s
            p.ellipse(x + 0.4 * s, y, 1.5 * s, 0.35 * s, alpha(fogged(PAL["leaf_dark"], fz, haze, 260), 0.45))
            g = tuple(fogged(col, fz, haze, 260) for col in (PAL["leaf_dark"], PAL["leaf"], PAL["leaf_light"]))
            tree_round(p, x, y, h, rng, g, fogged(PAL["trunk"], fz, haze, 260))
            continue
        x, y = P.pt(fx, fy, fz)
        r = flower_r * s
        if r < 0.5:
            continue
        squash = max(0.3, min(1.0, math.sin(math.atan2(P.cam_h - fy, fz)) * 1.3 + 0.15))
        bloom(p, x, y, r, name, rng, squash, lambda col, fz=fz: fogged(col, fz, haze, 260))


def draw_duong_hoa(c: Canvas):
    """The wide view: ĐT 499B between rice fields, flower beds on both sides."""
    rng = random.Random(499)  # ĐT 499B
    horizon = 690
    haze = PAL["sky_low"]
    countryside_backdrop(c, horizon, rng)
    village_treeline(c, horizon, rng)
    P = Persp(cx=1260, horizon=horizon, f=1300, cam_h=2.5, cam_x=1.3, bend=lambda z: -0.0009 * z * z)
    # Ground: green fields, lighter towards the horizon.
    c.vgradient(horizon + 2, c.h, [(0, mix(PAL["rice_light"], haze, 0.45)), (0.25, PAL["rice"]), (1, PAL["rice_dark"])])
    paddy_patchwork(c, P, 5.4, 420, 3.0, 900, rng, haze, side=1)
    paddy_patchwork(c, P, 5.4, 420, 3.0, 900, rng, haze, side=-1)
    flower_road_world(c, P, rng, horizon, haze, flower_r=0.055)


def draw_duong_hoa_can_canh(c: Canvas):
    """A low, close view along the right-hand flower bed; the distance is softly out of focus."""
    rng = random.Random(4992)
    horizon = 600
    haze = PAL["sky_low"]
    countryside_backdrop(c, horizon, rng, sun=(2050, 170, 40, rgb("#fff1c9")))
    village_treeline(c, horizon, rng, scale=1.1)
    P = Persp(cx=760, horizon=horizon, f=1400, cam_h=0.95, cam_x=3.55, bend=lambda z: -0.0012 * z * z)
    c.vgradient(horizon + 2, c.h, [(0, mix(PAL["rice_light"], haze, 0.45)), (0.25, PAL["rice"]), (1, PAL["rice_dark"])])
    paddy_patchwork(c, P, 5.4, 420, 3.0, 900, rng, haze, side=1)
    paddy_patchwork(c, P, 5.4, 420, 3.0, 900, rng, haze, side=-1)
    c.blur(4.0)  # depth of field: the fields and hills are out of focus
    flower_road_world(c, P, rng, horizon, haze, flower_r=0.05, density=110, detail_z=70, seg_len=7.0, tree_start=15.0,
                      rows=("orange", "magenta", "pink", "white", "yellow"))


# --------------------------------------------------------------------------
# Scene: "Thắp sáng đường làng ngõ xóm" — a village lane lit at dusk
# --------------------------------------------------------------------------

NIGHT = rgb("#1d2347")
LAMP = rgb("#ffcf8a")


def night(c, t=0.55):
    """Tint a daylight colour into the blue of dusk."""
    return mix(c, NIGHT, t)


def stars(c: Canvas, rng, y_max, n=140):
    p = c.pen
    for _ in range(n):
        x, y = rng.uniform(0, c.w), rng.uniform(0, y_max)
        fade = 1 - y / y_max
        r = rng.choice((1.0, 1.2, 1.5, 2.2))
        p.circle(x, y, r, alpha((255, 246, 220), 0.25 + 0.6 * fade * rng.random()))


def moon(c: Canvas, x, y, r, colour=(255, 240, 205)):
    c.glow(x, y, r * 5, rgb("#6d6a9c"), 0.5, 2.0)
    m, p = c.mask()
    p.circle(x, y, r, 255)
    p.circle(x + r * 0.45, y - r * 0.25, r * 0.92, 0)
    c.paint(m, colour)


def lane_house(p: Pen, P: Persp, side, x_face, z0, length, depth, storeys, rng, wall, roof, lit_share=0.7):
    """A house whose long side faces the lane, in perspective. Returns the lit openings (for glows)."""
    z1 = z0 + length
    xo = x_face + side * depth  # the far side, away from the lane
    lo, hi = sorted((x_face, xo))
    wall_face = wall
    wall_front = shade(wall, -0.22)
    glow_spots = []
    if storeys == 1:
        eave, ridge = 3.2, 5.0
    else:
        eave, ridge = 3.2 * storeys + 0.4, None
    # camera-facing end wall and lane-facing wall
    p.poly(P.zquad(lo, hi, 0, eave, z0), wall_front)
    p.poly(P.xquad(x_face, 0, eave, z0, z1), wall_face)
    p.poly(P.xquad(x_face, 0, 0.35, z0, z1), shade(wall_face, -0.25))  # plinth
    if ridge:
        xm = (lo + hi) / 2
        ov = 0.5
        p.poly([P.pt(x_face - side * ov, eave - 0.25, z0 - ov), P.pt(x_face - side * ov, eave - 0.25, z1 + ov),
                P.pt(xm, ridge, z1 + ov), P.pt(xm, ridge, z0 - ov)], roof)
        p.poly([P.pt(lo - ov, eave - 0.25, z0 - ov), P.pt(hi + ov, eave - 0.25, z0 - ov), P.pt(xm, ridge, z0 - ov)],
               shade(roof, -0.15))
        p.poly([P.pt(x_face - side * ov, eave - 0.25, z0 - ov), P.pt(x_face - side * ov, eave - 0.25, z1 + ov),
                P.pt(x_face - side * ov, eave - 0.05, z1 + ov), P.pt(x_face - side * ov, eave - 0.05, z0 - ov)],
               shade(roof, -0.35))
    else:
        top = eave
        p.poly(P.xquad(x_face - side * 0.15, top - 0.05, top + 0.5, z0 - 0.15, z1 + 0.15), shade(wall_face, -0.08))
        p.poly(P.zquad(lo - 0.15, hi + 0.15, top - 0.05, top + 0.5, z0 - 0.15), shade(wall_front, -0.08))
        for k in range(1, storeys):  # floor band between storeys
            yb = 3.2 * k + 0.2
            p.poly(P.xquad(x_face - side * 0.1, yb - 0.15, yb + 0.15, z0, z1), shade(wall_face, -0.15))
    # a window on the camera-facing end wall of each storey
    for k in range(storeys):
        y0 = 3.2 * k + 1.0
        xa, xb = lo + (hi - lo) * 0.4, lo + (hi - lo) * 0.58
        lit = rng.random() < 0.5
        p.poly(P.zquad(xa, xb, y0, y0 + 1.2, z0), shade(wall_front, -0.3))
        p.poly(P.zquad(xa + 0.06, xb - 0.06, y0 + 0.06, y0 + 1.14, z0), rgb("#f5b35e") if lit else shade(wall_front, -0.45))
    # openings on the lane-facing wall: a wide door and windows on each storey
    for k in range(storeys):
        y0 = 3.2 * k + (0.0 if k == 0 else 0.2)
        n = max(2, int(length / 2.6))
        for i in range(n):
            za = z0 + length * (i + 0.25) / n
            zb = z0 + length * (i + 0.75) / n
            door = k == 0 and i == n // 2
            ya, yb = (y0 + 0.35, y0 + 2.5) if door else (y0 + 1.0, y0 + 2.3)
            lit = rng.random() < lit_share
            col = rgb("#ffc46b") if lit else shade(wall_face, -0.45)
            if lit and rng.random() < 0.3:
                col = rgb("#ffe6a8")  # a room lit by a cooler tube light
            p.poly(P.xquad(x_face, ya, yb, za, zb), shade(wall_face, -0.35))
            inset = 0.06
            p.poly(P.xquad(x_face, ya + inset, yb - inset, za + inset, zb - inset), col)
            if lit:
                glow_spots.append((P.pt(x_face, (ya + yb) / 2, (za + zb) / 2), P.px((za + zb) / 2), col))
            if not door:  # window bars
                for q in (0.33, 0.66):
                    zq = za + (zb - za) * q
                    p.line([P.pt(x_face, ya, zq), P.pt(x_face, yb, zq)], shade(col, -0.4), max(0.6, 0.04 * P.px(zq)))
    return glow_spots


def draw_duong_lang(c: Canvas):
    rng = random.Random(2022)
    horizon = 800
    sky(c, horizon + 2, [(0, rgb("#141a38")), (0.45, rgb("#2b2f5f")), (0.75, rgb("#5d4a7d")),
                         (0.9, rgb("#b06f7f")), (1, rgb("#f0a472"))])
    stars(c, rng, horizon - 300)
    moon(c, 1930, 210, 46)
    # Distant karst hills and the tree line, as dusk silhouettes.
    karst(c, horizon + 4, [(140, 120, 200), (330, 90, 150), (1650, 110, 170), (1850, 150, 250), (2100, 110, 160),
                            (2330, 80, 120)], rgb("#3e3a66"), rng)
    dusk_greens = (rgb("#1f2a3f"), rgb("#26344a"), rgb("#2f4152"))
    p = c.pen
    x = -20
    while x < c.w + 20:
        if rng.random() < 0.3:
            tree_palm(p, x, horizon + 2, rng.uniform(60, 95), rng, dusk_greens[1], dusk_greens[0])
            x += 16
        else:
            tree_round(p, x, horizon + 4, rng.uniform(55, 95), rng, dusk_greens, dusk_greens[0])
            x += rng.uniform(20, 36)
    c.vgradient(horizon, c.h, [(0, rgb("#27384a")), (1, rgb("#18242f"))])

    P = Persp(cx=1130, horizon=horizon, f=1350, cam_h=1.6, cam_x=0.15, bend=lambda z: 0.0016 * z * z)
    z_far = 140.0
    # Verges and the concrete lane.
    p.poly(P.strip(-2.6, 2.6, 0, 0.8, z_far), rgb("#27354a"))
    lane_near, lane_far = rgb("#4f5166"), rgb("#363a52")
    for i in range(50, 0, -1):
        za, zb = 0.8 * (z_far / 0.8) ** ((i - 1) / 50), 0.8 * (z_far / 0.8) ** (i / 50)
        p.poly(P.strip(-1.6, 1.6, 0, za, zb, 2), mix(lane_near, lane_far, 1 - math.exp(-za / 25)))
    z = 2.0
    while z < z_far:  # expansion joints of the concrete slabs
        p.line([P.pt(-1.6, 0, z), P.pt(1.6, 0, z)], alpha(rgb("#2c2f44"), 0.6), max(0.6, 0.03 * P.px(z)))
        z += 4.0

    # Build the street: houses, garden walls, trees and lamps on both sides, then draw far to near.
    items = []
    walls = (rgb("#f1d9a7"), rgb("#e8c08f"), rgb("#f4e6c8"), rgb("#d9b4a0"), rgb("#cfd8c0"), rgb("#e9cfa0"))
    for side in (-1, 1):
        if side < 0:  # a lit house close to the camera on the left, a garden wall on the right
            z = 3.5
            items.append((z, "house", side, 8.0, 1, rgb("#f1d9a7")))
            z += 9.0
        else:
            z = 6.0
            items.append((z, "garden", side, 6.0, 0, None))
            z += 6.0
        while z < z_far:
            if rng.random() < 0.62:
                length = rng.uniform(6.5, 10)
                storeys = 1 if rng.random() < 0.55 else 2
                items.append((z, "house", side, length, storeys, rng.choice(walls)))
                z += length + rng.uniform(0.5, 1.5)
            else:
                length = rng.uniform(3, 6)
                items.append((z, "garden", side, length, 0, None))
                z += length
        for _ in range(26):  # a second row of trees behind the houses
            items.append((rng.uniform(8, z_far), "tree", side, rng.uniform(12, 24), 0, None))
    z = 9.0
    while z < z_far:
        items.append((z, "lamp", 1, 0, 0, None))
        z += 13.0
    items.sort(key=lambda it: -it[0])
    spots = []
    lamps = []
    for z, kind, side, length, storeys, wall in items:
        xf = side * 2.7
        if kind == "house":
            spots += lane_house(p, P, side, xf, z, length, 8.0, storeys, rng, night(wall, 0.62),
                                night(PAL["roof"], 0.6))
        elif kind == "tree":
            tx, ty = P.pt(side * length, 0, z)
            tree_round(p, tx, ty, rng.uniform(5.0, 7.5) * P.px(z), rng, dusk_greens, dusk_greens[0])
        elif kind == "garden":
            bx, by = P.pt(xf + side * 4.0, 0, z + length / 2)
            tree_round(p, bx, by, rng.uniform(4.0, 5.5) * P.px(z + length / 2), rng, dusk_greens, dusk_greens[0])
            if z > 15 and rng.random() < 0.5:
                px_, py_ = P.pt(xf + side * 1.2, 0, z + length * 0.3)
                tree_palm(p, px_, py_, 8.5 * P.px(z + length * 0.3), rng, dusk_greens[2], dusk_greens[0])
            for k in range(int(length / 1.2) + 1):  # shrubs peeping over the wall
                zz = z + length * (k + 0.5) / (int(length / 1.2) + 1)
                sx, sy = P.pt(xf + side * 0.9, 1.2, zz)
                r = rng.uniform(0.55, 0.8) * P.px(zz)
                p.circle(sx, sy - r * 0.4, r, dusk_greens[1])
                p.circle(sx - r * 0.2, sy - r * 0.6, r * 0.55, dusk_greens[2])
            wc = night(rgb("#d8cbb0"), 0.76)
            p.poly(P.xquad(xf, 0, 1.4, z, z + length), wc)
            p.poly(P.xquad(xf, 1.4, 1.52, z - 0.05, z + length + 0.05), shade(wc, 0.12))
            p.poly(P.xquad(xf, 0.0, 0.25, z, z + length), shade(wc, -0.2))
            p.poly(P.zquad(min(xf, xf + side * 0.2), max(xf, xf + side * 0.2), 0, 1.4, z), shade(wc, -0.15))
            # a gate in the wall, framed by two pillars
            gz = z + length * 0.55
            p.poly(P.xquad(xf, 0, 1.7, gz - 1.0, gz + 1.0), night(rgb("#5a4a44"), 0.5))
            for k in range(1, 8):
                zq = gz - 1.0 + 2.0 * k / 8
                p.line([P.pt(xf, 0.1, zq), P.pt(xf, 1.6, zq)], night(rgb("#8a7a6a"), 0.5), max(0.6, 0.03 * P.px(zq)))
            for g in (gz - 1.2, gz + 1.0):
                p.poly(P.xquad(xf, 0, 2.0, g, g + 0.2), shade(wc, 0.05))
        else:
            head = lamp_post(p, P, 2.0, z, 6.0, 1.3, rgb("#3a3d4f"), (255, 244, 214))
            lamps.append((z, head))

    # Light: pools on the lane under each lamp, halos around the heads, window glows.
    m, mp = c.mask()
    for z, head in lamps:
        fade = math.exp(-z / 90)
        for k in range(12):
            rad, val = 5.6 - k * 0.42, 24 + k * 18
            mp.poly([P.pt(2.0 - 1.3 + rad * math.cos(a) * 0.9, 0, z + rad * math.sin(a)) for a in
                     [2 * math.pi * i / 40 for i in range(40)]], round(val * fade))
    c.paint(m, rgb("#ffb35a"), 14, 1.0, "screen")
    for (x, y), s, col in spots:
        c.glow(x, y, 1.6 * s, col, 0.35, 2.0)
    for z, (x, y) in lamps:
        s = P.px(z)
        c.glow(x, y, 5.5 * s, LAMP, 0.42, 2.4)
        c.glow(x, y, 1.4 * s, (255, 240, 205), 0.9, 1.5)
    c.vignette(strength=0.5)


# --------------------------------------------------------------------------
# Still-life helpers: wood, rice grains, turned vessels
# --------------------------------------------------------------------------

def interp_profile(points):
    """A smooth function through (t, value) points (Catmull-Rom spline)."""
    pts = [points[0]] + list(points) + [points[-1]]

    def f(t):
        t = max(points[0][0], min(points[-1][0], t))
        for k in range(1, len(pts) - 2):
            (t0, v0), (t1, v1), (t2, v2), (t3, v3) = pts[k - 1], pts[k], pts[k + 1], pts[k + 2]
            if t <= t2:
                u = (t - t1) / (t2 - t1) if t2 > t1 else 0.0
                m1 = (v2 - v0) / (t2 - t0) * (t2 - t1) if t2 > t0 else 0.0
                m2 = (v3 - v1) / (t3 - t1) * (t2 - t1) if t3 > t1 else 0.0
                return ((2 * u ** 3 - 3 * u ** 2 + 1) * v1 + (u ** 3 - 2 * u ** 2 + u) * m1
                        + (-2 * u ** 3 + 3 * u ** 2) * v2 + (u ** 3 - u ** 2) * m2)
        return points[-1][1]
    return f


def wood_planks(c: Canvas, poly_rows, rng, base, dark, light):
    """Fill horizontal planks (each a polygon) with a base tone and wavy grain lines."""
    p = c.pen
    for pts, y0, y1, x0, x1 in poly_rows:
        tone = shade(base, rng.uniform(-0.08, 0.06))
        p.poly(pts, tone)
        for _ in range(int((y1 - y0) / 6)):
            y = rng.uniform(y0 + 2, y1 - 2)
            amp, freq, ph = rng.uniform(1, 5), rng.uniform(0.004, 0.012), rng.uniform(0, 6.3)
            xa = rng.uniform(x0 - 200, x1 - 300)
            xb = xa + rng.uniform(250, 900)
            line = [(x, y + amp * math.sin(freq * x + ph)) for x in range(int(xa), int(xb), 12)]
            if len(line) > 1:
                p.line(line, alpha(dark if rng.random() < 0.7 else light, rng.uniform(0.15, 0.35)), rng.uniform(1, 2.6))
        if rng.random() < 0.6:  # a knot
            kx, ky = rng.uniform(x0 + 100, x1 - 100), (y0 + y1) / 2
            for r in (22, 15, 8):
                p.ellipse(kx, ky, r * 2.2, r * 0.7, alpha(dark, 0.18))


def rice_grain(p: Pen, x, y, rng, size=1.0, colour=None):
    colour = colour or mix(rgb("#fbf6e8"), rgb("#efe3c4"), rng.random() * 0.6)
    a = rng.uniform(0, math.pi)
    L, W = 7.5 * size, 3.0 * size
    p.poly(ellipse_pts(x, y + 0.8 * size, L, W, a, 12), alpha(rgb("#b8a47c"), 0.55))
    p.poly(ellipse_pts(x, y, L, W, a, 12), colour)
    p.poly(ellipse_pts(x - 1.2 * size * math.cos(a) * 0.2, y - 0.9 * size, L * 0.55, W * 0.35, a, 8),
           alpha((255, 255, 255), 0.7))


def rice_mound(c: Canvas, cx, base_y, w, h, rng, density=1.0, size=1.0):
    """A heap of grains: a soft body and grains drawn back to front."""
    p = c.pen
    pts = [(cx + w / 2 * 0.95 * math.cos(a), base_y - h * 0.95 * math.sin(a) ** 0.8)
           for a in [math.pi * i / 40 for i in range(41)]]
    m, mp = c.mask()
    mp.poly(pts, 255)
    mp.ellipse(cx, base_y, w / 2 * 0.95, h * 0.15, 255)
    c.paint(m, rgb("#dccbaa"), 2.0)
    grains = []
    for _ in range(int(w * h / 55 * density)):
        u = rng.uniform(-1, 1)
        top = base_y - h * (1 - abs(u) ** 2) ** 0.8
        y = rng.uniform(top, base_y + h * 0.16 * math.sqrt(1 - u * u))
        grains.append((y, cx + u * w / 2 * 0.97))
    grains.sort()
    for y, x in grains:
        rice_grain(p, x, y, rng, size)


# --------------------------------------------------------------------------
# Scene: "Hũ gạo tiết kiệm" — a glazed rice jar, rice and a coconut-shell scoop
# --------------------------------------------------------------------------

def draw_hu_gao(c: Canvas):
    rng = random.Random(3450)  # 3.450 kg of rice
    p = c.pen
    W, H = c.w, c.h
    table_back, table_front = 1180, 1800
    # Wall: warm plaster, lit from a window on the left.
    c.vgradient(0, table_back + 4, [(0, rgb("#e7cfa8")), (0.6, rgb("#dcbc90")), (1, rgb("#cfa97c"))])
    c.soft(lambda q: q.poly([(-100, 120), (700, 40), (860, 1200), (-100, 1320)], 255), rgb("#fff0cf"), 60, 0.45, "screen")
    # A woven bamboo tray (mẹt) leaning on the wall.
    tx, ty, tr = 1380, 820, 360
    c.soft(lambda q: q.circle(tx + 40, ty + 30, tr, 255), rgb("#6b4a2f"), 30, 0.35)
    p.circle(tx, ty, tr, rgb("#a97c47"))
    p.circle(tx, ty, tr - 26, rgb("#d9b57c"))
    for k in range(1, 14):
        p.circle(tx, ty, (tr - 26) * (1 - k / 14), rgb("#cfa96f") if k % 2 else rgb("#dcbb84"))
    for k in range(48):
        a = 2 * math.pi * k / 48
        p.line([(tx + math.cos(a) * 20, ty + math.sin(a) * 20), (tx + math.cos(a) * (tr - 28), ty + math.sin(a) * (tr - 28))],
               alpha(rgb("#a27a45"), 0.35), 2)
    # Table top (planks running left-right) and its front edge.
    wood, wdark, wlight = rgb("#9a6238"), rgb("#5e3720"), rgb("#c48a58")
    ys = [table_back + (table_front - table_back) * k / 5 for k in range(6)]
    planks = [([(-10, y0 + 1), (W + 10, y0 + 1), (W + 10, y1), (-10, y1)], y0, y1, 0, W) for y0, y1 in zip(ys, ys[1:])]
    wood_planks(c, planks, rng, wood, wdark, wlight)
    for y in ys[1:-1]:
        p.line([(0, y), (W, y)], alpha(wdark, 0.55), 3)
    p.rect(0, ys[0], W, ys[1], alpha(rgb("#3b2416"), 0.08))  # the back plank recedes a little
    p.rect(0, table_back - 6, W, table_back, alpha(rgb("#3b2416"), 0.5))
    p.rect(0, table_front, W, table_front + 90, shade(wood, -0.3))
    p.rect(0, table_front, W, table_front + 8, shade(wood, 0.12))
    c.vgradient(table_front + 90, H, [(0, rgb("#4a3427")), (1, rgb("#3a281e"))])
    # Light falling across the table from the left.
    c.soft(lambda q: q.poly([(-100, table_back), (900, table_back), (1300, table_front), (-100, table_front)], 255),
           rgb("#ffe2b0"), 70, 0.25, "screen")

    # --- The jar (hũ), Bát Tràng style: off-white glaze with cobalt decoration.
    cx, base_y, jh = 720, 1470, 880
    ell = 0.2
    prof = interp_profile([(0, 230), (0.08, 280), (0.25, 348), (0.45, 375), (0.65, 348), (0.8, 294), (0.9, 244),
                           (0.95, 231), (1.0, 240)])

    def y_at(t):
        return base_y - t * jh

    ts = [i / 120 for i in range(121)]
    lip_y, lip_r = y_at(1), prof(1)
    sil = [(cx + prof(t), y_at(t)) for t in ts]
    sil += [(cx + lip_r * math.cos(a), lip_y - lip_r * ell * math.sin(a)) for a in [math.pi * i / 30 for i in range(31)]]
    sil += [(cx - prof(t), y_at(t)) for t in reversed(ts)]
    sil += [(cx + prof(0) * math.cos(a), base_y + prof(0) * ell * math.sin(a))
            for a in [math.pi - math.pi * i / 30 for i in range(31)]]

    # shadows: on the wall and tray (light from the upper left) and on the table
    c.soft(lambda q: q.poly([(x + 120, y - 40) for x, y in sil if y < table_back + 40], 255), rgb("#5a3c25"), 28, 0.28)
    c.soft(lambda q: q.ellipse(cx + 150, base_y + 10, 420, 70, 255), rgb("#2e1b10"), 28, 0.45)
    c.soft(lambda q: q.ellipse(cx, base_y + 6, prof(0) * 1.15, prof(0) * ell * 1.4, 255), rgb("#1e120a"), 8, 0.6)

    glaze, cobalt = rgb("#f1f0e6"), rgb("#2d5aa6")
    jm, jp = c.mask()
    jp.poly(sil, 255)
    c.paint(jm, glaze)

    def band(t0, t1, colour):
        arc0 = [(cx + prof(t0) * math.cos(a), y_at(t0) + prof(t0) * ell * math.sin(a)) for a in [math.pi * i / 40 for i in range(41)]]
        arc1 = [(cx + prof(t1) * math.cos(a), y_at(t1) + prof(t1) * ell * math.sin(a)) for a in [math.pi * i / 40 for i in range(41)]]
        p.poly(arc0 + list(reversed(arc1)), colour)

    def on_body(t, theta):
        """Screen point of the glaze at height t and angle theta (0 = facing us)."""
        r = prof(t)
        return cx + r * math.sin(theta), y_at(t) + r * ell * math.cos(theta)

    band(0.03, 0.1, cobalt)
    band(0.115, 0.13, cobalt)
    band(0.72, 0.745, cobalt)
    band(0.8, 0.9, cobalt)
    band(0.935, 0.95, cobalt)
    # lotus-petal border hanging from the shoulder band
    for k in range(-7, 8):
        th = k * 0.2
        if abs(th) > 1.45:
            continue
        p.poly([on_body(0.72, th - 0.085), on_body(0.72, th + 0.085), on_body(0.64, th)], alpha(cobalt, 0.9))
        p.poly([on_body(0.715, th - 0.05), on_body(0.715, th + 0.05), on_body(0.665, th)], glaze)
    # a leafy vine with lotus flowers around the belly
    vine = [on_body(0.42 + 0.06 * math.sin(th * 4.2), th) for th in [i / 60 * 3.0 - 1.5 for i in range(61)]]
    for i in range(len(vine) - 1):
        th = i / 60 * 3.0 - 1.5
        p.line([vine[i], vine[i + 1]], cobalt, 5 * max(0.25, math.cos(th)))
    for k in range(-6, 7):
        th = k * 0.22 + 0.05
        if abs(th) > 1.4:
            continue
        t = 0.42 + 0.06 * math.sin(th * 4.2)
        sq = max(0.2, math.cos(th))
        x, y = on_body(t, th)
        up = 1 if k % 2 else -1
        leaf = leaf_shape(x, y, 70, 20, -math.pi / 2 * up + 0.5 * up)
        p.poly([(x + (u - x) * sq, v) for u, v in leaf], cobalt)
    for th, t in ((-0.75, 0.47), (0.15, 0.37), (0.95, 0.46)):
        x, y = on_body(t, th)
        sq = max(0.25, math.cos(th))
        for a in (-1.1, -0.55, 0, 0.55, 1.1):
            lp = leaf_shape(x, y + 20, 95 - abs(a) * 25, 26, -math.pi / 2 + a)
            p.poly([(x + (u - x) * sq, v) for u, v in lp], cobalt if a else shade(cobalt, -0.2))
        p.ellipse(x, y + 28, 60 * sq, 16, cobalt)
        p.ellipse(x, y + 22, 36 * sq, 8, glaze)
    # small four-petal rosettes in the lower register
    for k in range(-6, 7):
        th = k * 0.24
        if abs(th) > 1.5:
            continue
        x, y = on_body(0.2, th)
        sq = max(0.2, math.cos(th))
        for a in range(4):
            aa = math.pi / 4 + a * math.pi / 2
            p.ellipse(x + math.cos(aa) * 13 * sq, y + math.sin(aa) * 13, 11 * sq, 11, cobalt)
        p.ellipse(x, y, 6 * sq, 6, glaze)

    # Shading and highlight, computed at quarter resolution and masked by the jar.
    q = 4
    bx0, by0 = int((cx - 390) * SS / q), int((lip_y - 70) * SS / q)
    bw, bh = int(780 * SS / q), int((jh + 150) * SS / q)
    dark_m = Image.new("L", (bw, bh))
    hi_m = Image.new("L", (bw, bh))
    dpx, hpx = dark_m.load(), hi_m.load()
    lx, lz = -0.6, 0.8
    for j in range(bh):
        y = (by0 + j) * q / SS
        t = (base_y - y) / jh
        r = prof(t)
        for i in range(bw):
            x = (bx0 + i) * q / SS
            u = max(-0.999, min(0.999, (x - cx) / r))
            nz = math.sqrt(1 - u * u)
            lit = max(0.0, u * lx + nz * lz)
            occl = max(0.0, 1 - t / 0.12) * 0.5 + max(0.0, (t - 0.9) / 0.1) * 0.2
            dpx[i, j] = round(255 * min(1.0, (1 - lit) ** 1.4 * 0.85 + occl))
            hpx[i, j] = round(255 * math.exp(-((u + 0.5) / 0.09) ** 2) * (0.35 + 0.65 * math.sin(math.pi * min(1, max(0, t)))))
    full = Image.new("L", c.img.size)
    full.paste(dark_m.resize((bw * q, bh * q), Image.BILINEAR), (bx0 * q, by0 * q))
    c.paint(ImageChops.multiply(full, jm), rgb("#2c3550"), 0, 0.62)
    full = Image.new("L", c.img.size)
    full.paste(hi_m.resize((bw * q, bh * q), Image.BILINEAR), (bx0 * q, by0 * q))
    c.paint(ImageChops.multiply(full.filter(ImageFilter.GaussianBlur(6)), jm), (255, 255, 255), 0, 0.8)

    # Mouth: rim, dark inside, rice near the top.
    p.ellipse(cx, lip_y, lip_r, lip_r * ell, rgb("#e6e4d8"))
    p.ellipse(cx, lip_y + 2, lip_r - 14, (lip_r - 14) * ell, rgb("#4b4436"))
    m, mp = c.mask()
    mp.ellipse(cx, lip_y + 2, lip_r - 14, (lip_r - 14) * ell, 255)
    inner = Image.new("RGB", c.img.size, rgb("#5a5042"))
    ip = Pen(ImageDraw.Draw(inner, "RGBA"), SS)
    ip.ellipse(cx, lip_y + 18, lip_r - 14, (lip_r - 14) * ell * 1.1, rgb("#eadfc4"))
    for _ in range(260):
        a, d = rng.uniform(0, 2 * math.pi), rng.random() ** 0.5
        rice_grain(ip, cx + math.cos(a) * d * (lip_r - 18), lip_y + 18 + math.sin(a) * d * (lip_r - 18) * ell * 1.1, rng, 0.8)
    c.img.paste(inner, mask=m)
    ri = lip_r - 14
    p.poly([(cx + ri * math.cos(a), lip_y + 2 + ri * ell * math.sin(a)) for a in [math.pi + math.pi * i / 30 for i in range(31)]] +
           [(cx + ri * math.cos(a), lip_y + 24 + ri * ell * 0.8 * math.sin(a)) for a in [2 * math.pi - math.pi * i / 30 for i in range(31)]],
           alpha(rgb("#2a241c"), 0.55))
    for k in range(3):  # glossy rim
        p.line([(cx + (lip_r - 3 - k * 4) * math.cos(a), lip_y + (lip_r - 3 - k * 4) * ell * math.sin(a))
                for a in [math.pi * 1.05 + math.pi * 0.5 * i / 20 for i in range(21)]], alpha((255, 255, 255), 0.5 - 0.15 * k), 3)

    # Stray grains across the table (drawn before the objects that sit in front of them).
    for _ in range(70):
        gx, gy = rng.uniform(60, W - 60), rng.uniform(table_back + 260, table_front - 15)
        if abs(gx - cx) < 300 and gy < base_y + 50:
            continue
        rice_grain(p, gx, gy, rng, 1.05)

    # --- The lid, resting on the table at the front left.
    lx0, ly0, lr = 300, 1730, 230
    c.soft(lambda q: q.ellipse(lx0 + 30, ly0 + 12, lr * 1.1, lr * 0.28, 255), rgb("#2e1b10"), 14, 0.5)
    us = [i / 30 * 2 - 1 for i in range(31)]
    lid = [(lx0 + lr * u, ly0 - 85 * (1 - u * u) ** 0.6) for u in us]
    lid += [(lx0 + lr * math.cos(a), ly0 + lr * 0.26 * math.sin(a)) for a in [math.pi * i / 30 for i in range(31)]]
    lm, lp_ = c.mask()
    lp_.poly(lid, 255)
    c.paint(lm, glaze)
    p.poly([(lx0 + lr * 0.86 * u, ly0 - 30 - 62 * (1 - u * u) ** 0.6 + 14) for u in us] +
           [(lx0 + lr * 0.86 * u, ly0 - 30 - 62 * (1 - u * u) ** 0.6 + 34) for u in reversed(us)], cobalt)
    p.rect(lx0 - 30, ly0 - 118, lx0 + 30, ly0 - 82, glaze)
    p.ellipse(lx0, ly0 - 118, 30, 9, shade(glaze, 0.4))
    p.rect(lx0 - 30, ly0 - 106, lx0 + 30, ly0 - 98, cobalt)
    shade_m, sp = c.mask()
    sp.poly([(lx0 + lr * u, ly0 - 85 * (1 - u * u) ** 0.6) for u in us if u > 0.05] +
            [(lx0 + lr * math.cos(a), ly0 + lr * 0.26 * math.sin(a)) for a in [math.pi * i / 30 for i in range(16)]], 255)
    c.paint(ImageChops.multiply(shade_m.filter(ImageFilter.GaussianBlur(18 * SS)), lm), rgb("#2c3550"), 0, 0.4)
    c.soft(lambda q: q.ellipse(lx0 - 70, ly0 - 50, 26, 12, 255), (255, 255, 255), 8, 0.7)

    # --- Rice spilled on the table, and a coconut-shell scoop (gáo dừa) full of rice.
    rice_mound(c, 1040, 1715, 400, 140, rng, 1.6)
    sx, sy, sr = 1230, 1615, 160
    c.soft(lambda q: q.ellipse(sx + 30, sy + 95, sr * 1.15, sr * 0.3, 255), rgb("#2e1b10"), 16, 0.5)
    # bamboo handle through the shell
    p.thick((sx + 60, sy - 10), (sx + 420, sy - 210), 30, 26, rgb("#c9a066"))
    p.thick((sx + 60, sy - 18), (sx + 420, sy - 218), 8, 7, alpha(rgb("#f0d39a"), 0.8))
    for k in (0.45, 0.85):
        hx, hy = sx + 60 + 360 * k, sy - 10 - 200 * k
        p.thick((hx - 6, hy - 16), (hx + 6, hy + 16), 10, 10, rgb("#a67c45"))
    shell = [(sx + sr * math.cos(a), sy + sr * 0.62 * math.sin(a)) for a in [math.pi * i / 40 for i in range(41)]]
    p.poly(shell + [(sx - sr, sy)], rgb("#6b4226"))
    for k in range(9):
        a0 = math.pi * (k + 0.5) / 9
        p.line([(sx + sr * 0.98 * math.cos(a0) * (1 - f), sy + sr * 0.6 * math.sin(a0) * (1 - f * 0.3)) for f in (0.0, 0.35)],
               alpha(rgb("#4a2c18"), 0.6), 2.5)
    c.soft(lambda q: q.poly([(sx + sr * math.cos(a), sy + sr * 0.62 * math.sin(a)) for a in [math.pi * i / 40 for i in range(21)]]
                            + [(sx, sy)], 255), rgb("#1f1209"), 14, 0.35)
    p.ellipse(sx, sy, sr, sr * 0.3, rgb("#8a5a35"))
    rice_mound(c, sx, sy + 12, sr * 1.82, 70, rng, 1.0)
    c.vignette(strength=0.35)


# --------------------------------------------------------------------------
# Scene: "Cột điện nở hoa" — electricity poles dressed in bougainvillea (Đông Hà)
# --------------------------------------------------------------------------

BOUGAINVILLEA = {
    "magenta": (rgb("#d81b78"), rgb("#f05aa0")),
    "pink": (rgb("#ee6aa7"), rgb("#fba3c9")),
    "purple": (rgb("#9b3fc0"), rgb("#c77ce0")),
    "orange": (rgb("#f0784a"), rgb("#f9a77f")),
}


def bract_cluster(p: Pen, x, y, r, colour, light, rng, lit=1.0):
    """A bougainvillea flower: three papery bracts in a rounded triangle."""
    col = mix(shade(colour, -0.35), colour, lit)
    hi = mix(colour, light, lit)
    if r < 2.5:
        p.circle(x, y, r, col)
        return
    rot = rng.uniform(0, 2 * math.pi)
    for k in range(3):
        a = rot + 2 * math.pi * k / 3
        bx, by = x + math.cos(a) * r * 0.45, y + math.sin(a) * r * 0.45
        p.poly(ellipse_pts(bx, by, r * 0.6, r * 0.45, a, 14), col)
        if r > 6:
            p.poly(ellipse_pts(bx - math.cos(a) * r * 0.1, by - math.sin(a) * r * 0.1 - r * 0.05, r * 0.35, r * 0.22, a, 10),
                   alpha(hi, 0.7))
    if r > 6:
        p.circle(x, y, r * 0.12, rgb("#fff2c2"))


def flowering_pole(p: Pen, P: Persp, x, z, rng, colours, height=10.5, bloom_top=6.2, light_dir=-1.0):
    """A concrete pole with a planter at its foot and bougainvillea trained up and over it."""
    s = P.px(z)
    base, top = P.pt(x, 0, z), P.pt(x, height, z)
    pole = rgb("#b9b6ad")
    p.thick(base, top, 0.36 * s, 0.2 * s, pole)
    p.thick((base[0] - 0.08 * s * light_dir, base[1]), (top[0] - 0.05 * s * light_dir, top[1]), 0.14 * s, 0.08 * s,
            alpha(shade(pole, -0.35), 0.7))
    ch = P.pt(x, height - 0.9, z)  # crossarm with insulators
    p.rect(ch[0] - 1.1 * s, ch[1] - 0.08 * s, ch[0] + 1.1 * s, ch[1] + 0.08 * s, shade(pole, -0.2))
    for dx in (-0.9, -0.3, 0.3, 0.9):
        p.rect(ch[0] + dx * s - 0.05 * s, ch[1] - 0.28 * s, ch[0] + dx * s + 0.05 * s, ch[1] - 0.08 * s, rgb("#e9e4da"))
    # the bougainvillea: leaf blobs and bract clusters around a column that opens into a crown
    pts = []
    for _ in range(int(320 + 50 * bloom_top)):
        y = rng.uniform(0.5, bloom_top + 0.6)
        if y > bloom_top - 0.6:
            rad = 0.5 + 1.0 * math.sin(math.pi * min(1, (y - (bloom_top - 0.6)) / 1.2)) ** 0.7
        else:
            rad = 0.34 + 0.12 * math.sin(y * 2.3)
        th = rng.uniform(0, 2 * math.pi)
        rr = rad * rng.uniform(0.75, 1.1)
        pts.append((z + rr * math.sin(th), x + rr * math.cos(th), y, math.cos(th), rng.random()))
    for _ in range(90):  # cascading sprays hanging from the crown
        th = rng.uniform(0, 2 * math.pi)
        rr = rng.uniform(0.9, 1.5)
        y = bloom_top + 0.4 - rng.uniform(0, 1.4) * (rr - 0.6)
        pts.append((z + rr * math.sin(th), x + rr * math.cos(th), y, math.cos(th), rng.random()))
    pts.sort(key=lambda t: -t[0])
    leaf_d, leaf_m = rgb("#2e6a35"), rgb("#4d9a45")
    for pz, px_, py, facing, kind in pts:
        sx, sy = P.pt(px_, py, pz)
        sc = P.px(pz)
        lit = 0.55 + 0.45 * max(0.0, -facing * light_dir)
        back = pz > z
        if kind < 0.3:
            r = rng.uniform(0.13, 0.22) * sc
            p.ellipse(sx, sy, r, r * 0.8, mix(shade(leaf_d, -0.3), leaf_m, lit * (0.6 if back else 1)))
            if r > 4:
                p.ellipse(sx - r * 0.3, sy - r * 0.3, r * 0.45, r * 0.35, alpha(shade(leaf_m, 0.25), 0.6 * lit))
        else:
            col, light = BOUGAINVILLEA[colours[int(kind * 97) % len(colours)]]
            for _ in range(5 if sc > 60 else 3):
                bract_cluster(p, sx + rng.uniform(-0.16, 0.16) * sc, sy + rng.uniform(-0.14, 0.14) * sc,
                              rng.uniform(0.07, 0.11) * sc, col, light, rng, lit * (0.75 if back else 1))
    # planter in front of the foliage foot
    pl = rgb("#c9774f")
    p.poly(P.zquad(x - 0.55, x + 0.55, 0.15, 0.7, z - 0.55), pl)
    p.poly(P.zquad(x - 0.6, x + 0.6, 0.65, 0.77, z - 0.6), shade(pl, 0.15))
    side_x = x - 0.55 if P.cam_x < x else x + 0.55
    p.poly(P.xquad(side_x, 0.15, 0.7, z - 0.55, z + 0.55), shade(pl, -0.2))
    return top


def street_building(p: Pen, P: Persp, side, z0, z1, storeys, colour, rng, x_face=9.0, depth=16.0, lit=True):
    """A Vietnamese tube house: its street facade on X=x_face, its end wall visible towards the camera."""
    xo = x_face + side * depth
    lo, hi = sorted((x_face, xo))
    h = 3.5 * storeys + 0.8
    face = colour if lit else shade(colour, -0.22)
    end = shade(colour, -0.12 if not lit else -0.3)
    p.poly(P.zquad(lo, hi, 0, h, z0), end)
    p.poly(P.xquad(x_face, 0, h, z0, z1), face)
    w = z1 - z0
    # ground floor: shop front with an awning, or a roller shutter
    if rng.random() < 0.55:
        p.poly(P.xquad(x_face, 0, 2.9, z0 + 0.3, z1 - 0.3), shade(face, -0.55))
        p.poly(P.xquad(x_face, 0.8, 2.6, z0 + 0.6, z1 - 0.6), alpha(rgb("#ffe3b0"), 0.25))
        aw = rng.choice((rgb("#2f7d6d"), rgb("#c84b3c"), rgb("#2f5d9a"), rgb("#e0a030")))
        p.poly([P.pt(x_face, 3.2, z0 + 0.1), P.pt(x_face, 3.2, z1 - 0.1), P.pt(x_face - side * 1.3, 2.6, z1 - 0.1),
                P.pt(x_face - side * 1.3, 2.6, z0 + 0.1)], aw)
        for k in range(1, 8, 2):
            za, zb = z0 + 0.1 + (w - 0.2) * k / 8, z0 + 0.1 + (w - 0.2) * (k + 1) / 8
            p.poly([P.pt(x_face, 3.2, za), P.pt(x_face, 3.2, zb), P.pt(x_face - side * 1.3, 2.6, zb),
                    P.pt(x_face - side * 1.3, 2.6, za)], shade(aw, 0.35))
    else:
        sh = rgb("#b8bcc2")
        p.poly(P.xquad(x_face, 0, 2.9, z0 + 0.3, z1 - 0.3), sh)
        for k in range(1, 14):
            y = 2.9 * k / 14
            p.line([P.pt(x_face, y, z0 + 0.3), P.pt(x_face, y, z1 - 0.3)], alpha(shade(sh, -0.3), 0.6), max(0.5, 0.02 * P.px(z0)))
    # a plain sign band (no lettering)
    p.poly(P.xquad(x_face, 3.25, 3.45, z0 + 0.2, z1 - 0.2), shade(face, -0.15))
    # upper storeys: glazed door, balcony slab, potted plants, railing
    for k in range(1, storeys):
        y0 = 3.5 * k
        p.poly(P.xquad(x_face, y0 + 0.6, y0 + 3.0, z0 + w * 0.22, z1 - w * 0.22), rgb("#3d5566"))
        p.poly(P.xquad(x_face, y0 + 0.8, y0 + 2.8, z0 + w * 0.26, z0 + w * 0.42), alpha(rgb("#bfe3f5"), 0.55))
        p.poly([P.pt(x_face, y0, z0), P.pt(x_face, y0, z1), P.pt(x_face - side * 1.0, y0, z1),
                P.pt(x_face - side * 1.0, y0, z0)], shade(face, 0.1))
        p.poly(P.xquad(x_face - side * 1.0, y0 - 0.2, y0, z0, z1), shade(face, -0.1))
        if rng.random() < 0.6:  # potted plants on the balcony floor, behind the railing
            for q in range(3):
                zq = z0 + w * (0.2 + 0.3 * q)
                bx, by = P.pt(x_face - side * 0.75, y0 + 0.3, zq)
                r = 0.16 * P.px(zq)
                p.rect(bx - r * 0.7, by - r * 0.2, bx + r * 0.7, by + r * 1.6, rgb("#b5653f"))
                for dx, dy, rr in ((-0.5, -0.5, 0.8), (0.5, -0.6, 0.75), (0, -1.1, 0.85)):
                    p.circle(bx + dx * r, by + dy * r, rr * r, rgb("#3f8a44"))
                p.circle(bx - 0.2 * r, by - 1.3 * r, 0.4 * r, rgb("#6fb255"))
        for q in range(int(w / 0.35)):
            zq = z0 + 0.1 + q * 0.35
            p.line([P.pt(x_face - side * 1.0, y0, zq), P.pt(x_face - side * 1.0, y0 + 1.0, zq)],
                   alpha(rgb("#3a3a44"), 0.8), max(0.5, 0.03 * P.px(zq)))
        p.line([P.pt(x_face - side * 1.0, y0 + 1.0, z0), P.pt(x_face - side * 1.0, y0 + 1.0, z1)], rgb("#3a3a44"),
               max(0.6, 0.05 * P.px(z0)))
    # parapet and, sometimes, a stainless water tank on the roof
    p.poly(P.xquad(x_face, h - 0.3, h, z0, z1), shade(face, 0.15))
    if rng.random() < 0.5:
        tz = z0 + w * 0.5
        tx = x_face + side * 2.5
        a, b = P.pt(tx, h, tz), P.pt(tx, h + 1.2, tz)
        r = 0.55 * P.px(tz)
        p.rect(a[0] - r, b[1], a[0] + r, a[1], rgb("#cfd6dc"))
        p.rect(a[0] - r * 0.3, b[1], a[0] - r * 0.05, a[1], alpha((255, 255, 255), 0.7))
        p.ellipse(a[0], b[1], r, r * 0.25, rgb("#e6ebef"))


def scooter(p: Pen, P: Persp, x, z, colour, facing=1, y0=0.0):
    """A parked scooter seen from the side (it stands across the sidewalk, front towards `facing`)."""
    s = P.px(z)
    bx, by = P.pt(x, y0, z)
    f = facing

    def q(u, v):  # scooter-local metres (u along its length, v up) to screen
        return bx + f * u * s, by - v * s

    tyre, rim, dark = rgb("#2b2b33"), rgb("#b9bec4"), shade(colour, -0.35)
    p.ellipse(bx, by, 0.95 * s, 0.09 * s, alpha(rgb("#3b3550"), 0.25))
    p.line([q(0.5, 1.0), q(0.62, 0.24)], rgb("#55555f"), 0.06 * s)  # fork
    for u in (-0.6, 0.62):
        cx_, cy_ = q(u, 0.24)
        p.circle(cx_, cy_, 0.24 * s, tyre)
        p.circle(cx_, cy_, 0.13 * s, rim)
        p.circle(cx_, cy_, 0.04 * s, tyre)
    # front fender over the front wheel
    arc = [q(0.62 + 0.3 * math.cos(a), 0.24 + 0.3 * math.sin(a)) for a in [math.radians(d) for d in range(15, 170, 10)]]
    arc += [q(0.62 + 0.26 * math.cos(a), 0.24 + 0.26 * math.sin(a)) for a in [math.radians(d) for d in range(165, 10, -10)]]
    p.poly(arc, colour)
    # body: rear cowl, step-through floor, leg shield
    p.poly([q(-0.97, 0.5), q(-0.92, 0.66), q(-0.75, 0.73), q(-0.05, 0.73), q(0.02, 0.6), q(-0.05, 0.4), q(-0.35, 0.32),
            q(-0.82, 0.36)], colour)
    p.poly([q(-0.08, 0.4), q(0.36, 0.4), q(0.4, 0.31), q(-0.1, 0.31)], dark)
    p.poly([q(0.3, 0.31), q(0.46, 0.31), q(0.63, 0.99), q(0.5, 1.02), q(0.4, 0.72), q(0.3, 0.45)], colour)
    p.poly([q(-0.92, 0.6), q(-0.4, 0.66), q(-0.42, 0.6), q(-0.9, 0.54)], alpha(shade(colour, 0.45), 0.8))
    p.poly([q(-0.97, 0.5), q(-0.9, 0.52), q(-0.9, 0.58), q(-0.96, 0.58)], rgb("#d9453c"))  # tail light
    # seat, handlebar, headlight, mirror
    p.poly([q(-0.8, 0.72), q(-0.1, 0.72), q(-0.05, 0.8), q(-0.3, 0.85), q(-0.75, 0.82)], rgb("#352c30"))
    p.poly([q(0.44, 0.98), q(0.68, 1.02), q(0.7, 1.1), q(0.46, 1.08)], colour)
    p.line([q(0.4, 1.08), q(0.6, 1.12)], tyre, 0.045 * s)
    p.poly([q(0.66, 1.0), q(0.74, 1.02), q(0.73, 1.08), q(0.67, 1.07)], rgb("#fff3c4"))
    p.line([q(0.52, 1.1), q(0.48, 1.3)], tyre, 0.02 * s)
    p.ellipse(*q(0.47, 1.32), 0.05 * s, 0.035 * s, tyre)


def draw_cot_dien(c: Canvas):
    rng = random.Random(2020)
    horizon = 980
    sky(c, horizon + 2, [(0, rgb("#5c9fd6")), (0.6, rgb("#9cc9e8")), (1, rgb("#e8eef0"))],
        sun=(260, 180, 44, rgb("#fff6dc")))
    for x, y, w in ((600, 250, 380), (1250, 140, 260), (1800, 330, 420), (2250, 170, 240)):
        cloud(c, x, y, w, rng)
    haze = rgb("#e8eef0")
    P = Persp(cx=900, horizon=horizon, f=1250, cam_h=1.6, cam_x=4.4)
    p = c.pen
    z_far = 600.0
    # far street end: soft silhouettes of trees and low buildings
    p.rect(0, horizon - 6, c.w, horizon + 2, mix(rgb("#8fa7a0"), haze, 0.5))
    ground = rgb("#b9b2a6")
    c.vgradient(horizon, c.h, [(0, mix(ground, haze, 0.5)), (1, ground)])
    # road and markings
    for i in range(60, 0, -1):
        za, zb = 0.8 * (z_far / 0.8) ** ((i - 1) / 60), 0.8 * (z_far / 0.8) ** (i / 60)
        p.poly(P.strip(-5.2, 5.2, 0, za, zb, 2), fogged(mix(rgb("#5d5d66"), rgb("#6e6c73"), 0.5), za, haze, 260))
    z = 1.0
    while z < z_far:
        p.poly(P.strip(-0.08, 0.08, 0.003, z, z + 3.0, 2), alpha(PAL["paint"], 0.85))
        z += 9.0
    for lo, hi in ((-5.0, -4.85), (4.85, 5.0)):
        p.poly(P.strip(lo, hi, 0.003, 0.8, z_far), alpha(PAL["paint"], 0.85))
    # sidewalks with curbs and tile joints
    for sgn in (-1, 1):
        lo, hi = sorted((sgn * 5.2, sgn * 9.0))
        p.poly(P.strip(lo, hi, 0.15, 0.8, z_far), fogged(rgb("#d9a98a"), 30, haze, 300))
        p.poly(P.xquad(sgn * 5.2, 0, 0.15, 0.8, z_far), fogged(rgb("#e9e4da"), 30, haze, 300))
        z = 1.0
        while z < 80:
            p.line([P.pt(lo, 0.15, z), P.pt(hi, 0.15, z)], alpha(rgb("#b98a6e"), 0.6), max(0.5, 0.03 * P.px(z)))
            z += 0.6
        for k in range(1, 6):
            xk = lo + (hi - lo) * k / 6
            p.line([P.pt(xk, 0.15, 0.8), P.pt(xk, 0.15, 80)], alpha(rgb("#b98a6e"), 0.45), 1.2)

    # items along both sides, far to near
    items = []
    facades = (rgb("#f2d16b"), rgb("#9fd3c7"), rgb("#f4efe6"), rgb("#f3a683"), rgb("#c8d6e5"), rgb("#e8c07d"),
               rgb("#f6e3b4"), rgb("#b8e0c2"))
    for sgn in (-1, 1):
        z = 2.0
        while z < 260:
            w = rng.uniform(4.0, 6.5)
            items.append((z, "building", sgn, w, rng.randint(2, 5), rng.choice(facades)))
            z += w
    pole_colours = (("magenta", "pink"), ("purple", "magenta"), ("pink", "magenta", "orange"), ("magenta", "purple"))
    for k, z in enumerate(range(10, 400, 32)):
        items.append((float(z), "pole", 1, 0, 0, pole_colours[k % len(pole_colours)]))
        items.append((float(z) + 16, "pole", -1, 0, 0, pole_colours[(k + 1) % len(pole_colours)]))
    for z in range(14, 200, 24):
        items.append((float(z), "tree", -1, 0, 0, None))
    bikes = (rgb("#c8323c"), rgb("#f2f2f2"), rgb("#2f5d9a"), rgb("#e0a030"), rgb("#3a3a44"), rgb("#7fb8a8"))
    for k, z in enumerate((7.5, 9.0, 17.0, 19.5, 23.0, 31.0, 33.0, 52.0, 55.0, 80.0)):
        items.append((z, "scooter", 1, 0, 0, bikes[k % len(bikes)]))
    for k, z in enumerate((27.0, 29.5, 44.0, 70.0)):
        items.append((z, "scooter", -1, 0, 0, bikes[(k + 2) % len(bikes)]))
    items.sort(key=lambda it: -it[0])
    tops = {1: [], -1: []}
    for z, kind, sgn, w, storeys, col in items:
        if kind == "building":
            street_building(p, P, sgn, z, z + w, storeys, fogged(col, z, haze, 320), rng, x_face=sgn * 9.0, lit=sgn > 0)
        elif kind == "scooter":
            scooter(p, P, sgn * 7.4, z, fogged(col, z, haze, 300), facing=-sgn, y0=0.15)
        elif kind == "tree":
            x, y = P.pt(-6.2, 0.15, z)
            g = tuple(fogged(cc, z, haze, 300) for cc in (PAL["leaf_dark"], PAL["leaf"], PAL["leaf_light"]))
            tree_round(p, x, y, 6.5 * P.px(z), rng, g, fogged(PAL["trunk"], z, haze, 300))
        else:
            top = flowering_pole(p, P, sgn * 5.7, z, rng, col, light_dir=-1.0 if sgn > 0 else 1.0,
                                 bloom_top=rng.uniform(5.2, 6.4))
            tops[sgn].append((z, top))
    # power lines between poles: sagging wires at the crossarm, and a lower telecom cable
    wires = ((-0.9, 0.28), (-0.3, 0.28), (0.3, 0.28), (0.9, 0.28), (0.0, -1.6))
    for sgn in (1, -1):
        zs = sorted(z for z, _ in tops[sgn])
        for za, zb in zip(zs, zs[1:]):
            for dx, dy in wires:
                pts = []
                for i in range(25):
                    t = i / 24
                    pts.append(P.pt(sgn * 5.7 + dx, 10.5 - 0.9 + dy - 0.6 * 4 * t * (1 - t), za + (zb - za) * t))
                p.line(pts, alpha(rgb("#3b3b45"), 0.75), max(0.8, 0.025 * P.px(za)))
        z0 = zs[0]  # wires leaving the nearest pole towards the camera, out of frame
        for dx, dy in wires:
            pts = [P.pt(sgn * 5.7 + dx, 10.5 - 0.9 + dy - 0.3 * (1 - (zz - 1) / (z0 - 1)) ** 2, zz)
                   for zz in [1 + (z0 - 1) * i / 16 for i in range(17)]]
            p.line(pts, alpha(rgb("#3b3b45"), 0.75), max(0.8, 0.025 * P.px(z0)))
    c.vignette(strength=0.2)


# --------------------------------------------------------------------------
# Scene: "Bát cháo yêu thương" — a charity porridge kitchen
# --------------------------------------------------------------------------

def vessel_mask(c: Canvas, P: Persp, x, z, y0, y1, radius):
    """Mask of a turned vessel (a stack of horizontal circles) between heights y0 and y1."""
    m, mp = c.mask()
    top, bottom = P.pt(x, y1, z)[1], P.pt(x, y0, z)[1]
    steps = max(8, int(abs(bottom - top) * SS / 2))
    for i in range(steps + 1):
        t = i / steps
        y = y0 + (y1 - y0) * t
        cx_, cy_ = P.pt(x, y, z)
        rx = radius(t) * P.px(z)
        mp.ellipse(cx_, cy_, rx, rx * math.sin(math.atan2(P.cam_h - y, z)), 255)
    return m


def side_shading(c: Canvas, m: Image.Image, cx, half_width, colour, strength=0.55, light=-1):
    """Darken a round object's mask away from the light (light=-1: from the left)."""
    w, h = c.img.size
    strip = Image.new("L", (w, 1))
    px = strip.load()
    for i in range(w):
        u = max(-1.0, min(1.0, (i / SS - cx) / half_width))
        lit = max(0.0, -light * u * 0.7 + math.sqrt(max(0.0, 1 - u * u)) * 0.75)
        px[i, 0] = round(255 * max(0.0, min(1.0, 1 - lit)) ** 1.2)
    c.paint(ImageChops.multiply(strip.resize((w, h), Image.NEAREST), m), colour, 0, strength)


def porridge_bowl(c: Canvas, P: Persp, x, z, rng, spoon=None, band=rgb("#2f63a8")):
    """A white rice bowl of porridge with scallion, pepper and fried shallots. Returns the steam origin."""
    p = c.pen
    R, Hb, Rf = 0.075, 0.062, 0.034
    s = P.px(z)
    # contact shadow
    fx, fy = P.pt(x, 0, z)
    ratio0 = math.sin(math.atan2(P.cam_h, z))
    c.soft(lambda q: q.ellipse(fx + 0.012 * s, fy + 0.004 * s, R * 1.05 * s, R * 1.05 * s * ratio0, 255),
           rgb("#3a1c14"), 0.012 * s, 0.45)

    def prof(t):  # t=0 foot, t=1 rim
        return Rf + (R - Rf) * math.sin(math.pi / 2 * t) ** 0.55

    m = vessel_mask(c, P, x, z, 0.0, Hb, prof)
    c.paint(m, rgb("#f7f5ef"))

    def front_arc(y):
        r = prof(y / Hb) * 1.003
        ax, ay = P.pt(x, y, z)
        k = math.sin(math.atan2(P.cam_h - y, z))
        return [(ax + r * s * math.cos(a), ay + r * s * k * math.sin(a)) for a in [math.pi * i / 40 for i in range(41)]]

    for ya, yb in ((Hb - 0.016, Hb - 0.009), (0.008, 0.012)):  # blue bands under the rim and above the foot
        bm, bp = c.mask()
        bp.poly(front_arc(yb) + list(reversed(front_arc(ya))), 255)
        c.paint(ImageChops.multiply(bm, m), band)
    cx_, cy_ = P.pt(x, Hb, z)
    side_shading(c, m, cx_, R * s, rgb("#5b4e6a"), 0.5)
    c.soft(lambda q: q.poly([(cx_ - R * s * 0.72, cy_ + 0.01 * s), (cx_ - R * s * 0.6, cy_ + 0.012 * s),
                             (cx_ - R * s * 0.45, cy_ + Hb * s * 0.75), (cx_ - R * s * 0.55, cy_ + Hb * s * 0.7)], 255),
           (255, 255, 255), 0.004 * s, 0.75)
    # rim, inside and porridge surface
    ratio = math.sin(math.atan2(P.cam_h - Hb, z))
    rx = R * s
    p.ellipse(cx_, cy_, rx, rx * ratio, rgb("#fbfaf6"))
    p.ellipse(cx_, cy_, rx * 0.95, rx * 0.95 * ratio, rgb("#e4e0d8"))
    pcx, pcy, prx = cx_, cy_ + 0.006 * s, rx * 0.88
    pry = prx * ratio
    p.ellipse(pcx, pcy, prx, pry, rgb("#efe4cc"))
    c.soft(lambda q: q.ellipse(pcx - prx * 0.2, pcy - pry * 0.25, prx * 0.6, pry * 0.5, 255), rgb("#fffaf0"), 0.01 * s, 0.8)
    c.soft(lambda q: q.ellipse(pcx, pcy - pry * 0.9, prx * 0.95, pry * 0.25, 255), rgb("#8c7a66"), 0.006 * s, 0.35)

    def spot():
        while True:
            u, v = rng.uniform(-1, 1), rng.uniform(-1, 1)
            if u * u + v * v < 0.8:
                return pcx + u * prx, pcy + v * pry

    for _ in range(9):  # fried shallots
        sx, sy = spot()
        p.poly(ellipse_pts(sx, sy, 0.006 * s, 0.0035 * s, rng.uniform(0, 3.1), 8, ratio / 0.6), rgb("#b9772f"))
    for _ in range(5):  # ginger threads
        sx, sy = spot()
        a = rng.uniform(0, math.pi)
        p.line([(sx, sy), (sx + math.cos(a) * 0.012 * s, sy + math.sin(a) * 0.012 * s * ratio)], rgb("#e8c25a"), 0.0018 * s)
    for _ in range(16):  # scallion rings
        sx, sy = spot()
        r = rng.uniform(0.004, 0.0065) * s
        p.ellipse(sx, sy, r, r * ratio * 1.2, rgb("#4f9e3a"))
        p.ellipse(sx, sy, r * 0.55, r * 0.55 * ratio * 1.2, rgb("#b7dd7a"))
    for _ in range(10):  # coriander leaves
        sx, sy = spot()
        p.poly(leaf_shape(sx, sy, 0.012 * s, 0.004 * s, rng.uniform(0, 6.3), ratio), rgb("#3f8f3a"))
    for _ in range(40):  # black pepper
        sx, sy = spot()
        p.circle(sx, sy, rng.uniform(0.0008, 0.0016) * s, rgb("#3a2d28"))
    if spoon is not None:  # a white porcelain spoon resting in the bowl
        ang = spoon
        hx, hy = pcx + math.cos(ang) * prx * 1.1, pcy + math.sin(ang) * pry * 1.1 - 0.03 * s
        bxp, byp = pcx + math.cos(ang) * prx * 0.2, pcy + math.sin(ang) * pry * 0.2
        p.ellipse(bxp, byp, 0.022 * s, 0.022 * s * ratio * 1.3, rgb("#fbfaf6"))
        p.ellipse(bxp, byp, 0.017 * s, 0.017 * s * ratio * 1.3, rgb("#efe4cc"))
        p.thick((bxp + math.cos(ang) * 0.016 * s, byp + math.sin(ang) * 0.008 * s), (hx, hy), 0.016 * s, 0.013 * s,
                rgb("#fbfaf6"))
        p.ellipse(hx, hy, 0.0065 * s, 0.0065 * s, rgb("#fbfaf6"))
        p.thick((bxp + math.cos(ang) * 0.016 * s, byp + math.sin(ang) * 0.008 * s + 0.003 * s), (hx, hy + 0.003 * s),
                0.004 * s, 0.003 * s, alpha(rgb("#c9c3b8"), 0.8))
        p.line([(hx - 0.002 * s, hy - 0.004 * s), (hx - 0.02 * s * math.cos(ang), hy - 0.01 * s)], band, 0.0025 * s)
    return pcx, pcy - pry * 0.3, s


def draw_bat_chao(c: Canvas):
    rng = random.Random(5)
    W, H = c.w, c.h
    P = Persp(cx=1200, horizon=-40, f=2650, cam_h=0.55)
    back_z = 2.4
    wall_y = P.pt(0, 0, back_z)[1]
    p = c.pen
    # Kitchen wall: warm plaster above a tiled splash-back, a window of morning light, hanging bulbs.
    c.vgradient(0, wall_y + 4, [(0, rgb("#e8c79c")), (1, rgb("#d6a878"))])
    tile_top = wall_y - 0.45 * P.px(back_z)
    p.rect(0, tile_top, W, wall_y + 4, rgb("#8fbdb5"))
    tsz = 0.1 * P.px(back_z)
    y = tile_top
    while y < wall_y:
        p.line([(0, y), (W, y)], rgb("#74a39b"), 2)
        y += tsz
    x = 0.0
    while x < W:
        p.line([(x, tile_top), (x, wall_y)], rgb("#74a39b"), 2)
        x += tsz
    p.rect(1450, 40, 2150, tile_top - 60, rgb("#f9e8c8"))
    c.glow(1800, 200, 700, rgb("#fff1d0"), 0.7, 1.6)
    for xx in (1450, 1800, 2150):
        p.rect(xx - 10, 40, xx + 10, tile_top - 60, rgb("#9c7450"))
    p.rect(1440, tile_top - 70, 2160, tile_top - 50, rgb("#9c7450"))
    p.rect(1440, 30, 2160, 50, rgb("#9c7450"))
    for bx in (300, 820, 1250):
        p.line([(bx, 0), (bx, 150)], rgb("#4a3a30"), 4)
        p.circle(bx, 175, 28, rgb("#ffe7b0"))
        c.glow(bx, 175, 180, rgb("#ffc978"), 0.6, 1.8)

    # Table cloth: red gingham in perspective.
    p.poly([P.pt(-3, 0, back_z), P.pt(3, 0, back_z), P.pt(3, 0, 0.5), P.pt(-3, 0, 0.5)], rgb("#fbf4ea"))
    check = 0.06
    red = rgb("#c8463d")
    k, xx = 0, -3.0
    while xx < 3.0:
        if k % 2 == 0:
            p.poly([P.pt(xx, 0, back_z), P.pt(xx + check, 0, back_z), P.pt(xx + check, 0, 0.5), P.pt(xx, 0, 0.5)],
                   alpha(red, 0.5))
        xx += check
        k += 1
    k, zz = 0, 0.5
    while zz < back_z:
        if k % 2 == 0:
            p.poly([P.pt(-3, 0, zz), P.pt(3, 0, zz), P.pt(3, 0, zz + check), P.pt(-3, 0, zz + check)], alpha(red, 0.5))
        zz += check
        k += 1
    # light from the window washing across the cloth
    c.soft(lambda q: q.poly([(900, wall_y), (W, wall_y), (W, H), (1300, H)], 255), rgb("#fff0d8"), 120, 0.25, "screen")

    # The big stock pot of porridge at the back left, and a stack of clean bowls at the back right.
    pot_x, pot_z, pot_r, pot_h = -0.62, 2.0, 0.2, 0.3
    m = vessel_mask(c, P, pot_x, pot_z, 0.0, pot_h, lambda t: pot_r)
    c.paint(m, rgb("#c9ccd1"))
    pcx, pcy = P.pt(pot_x, pot_h, pot_z)
    side_shading(c, m, pcx, pot_r * P.px(pot_z), rgb("#3b3f4f"), 0.75)
    ps = P.px(pot_z)
    for off, wdt, op in ((-0.55, 0.06, 0.8), (-0.35, 0.02, 0.5)):
        c.soft(lambda q: q.rect(pcx + off * pot_r * ps, pcy, pcx + (off + wdt) * pot_r * ps, pcy + pot_h * ps * 1.05, 255),
               (255, 255, 255), 3, op)
    for sgn in (-1, 1):  # handles
        hx = pcx + sgn * pot_r * ps
        p.rrect(min(hx, hx + sgn * 0.05 * ps), pcy + 0.03 * ps, max(hx, hx + sgn * 0.05 * ps), pcy + 0.06 * ps, 0.01 * ps,
                rgb("#2f3038"))
    ratio = math.sin(math.atan2(P.cam_h - pot_h, pot_z))
    p.ellipse(pcx, pcy, pot_r * ps, pot_r * ps * ratio, rgb("#e6e8ec"))
    p.ellipse(pcx, pcy, pot_r * ps * 0.95, pot_r * ps * ratio * 0.95, rgb("#f0e4c8"))
    p.thick((pcx + 0.06 * ps, pcy), (pcx + 0.2 * ps, pcy - 0.16 * ps), 0.022 * ps, 0.018 * ps, rgb("#a0a4ab"))  # ladle
    p.ellipse(pcx + 0.2 * ps, pcy - 0.16 * ps, 0.012 * ps, 0.012 * ps, rgb("#a0a4ab"))
    steam_spots = [(pcx, pcy, ps * 1.2)]
    # stack of clean bowls
    sx_, sz_ = 0.7, 2.05
    for k in range(5):
        y0 = k * 0.028
        m = vessel_mask(c, P, sx_, sz_, y0, y0 + 0.062, lambda t: 0.034 + (0.075 - 0.034) * math.sin(math.pi / 2 * t) ** 0.55)
        c.paint(m, rgb("#f7f5ef"))
        bcx, bcy = P.pt(sx_, y0 + 0.062, sz_)
        c.paint(ImageChops.multiply(vessel_mask(c, P, sx_, sz_, y0 + 0.048, y0 + 0.054, lambda t: 0.0755), m), rgb("#2f63a8"))
        side_shading(c, m, bcx, 0.075 * P.px(sz_), rgb("#5b4e6a"), 0.45)
    r_ = math.sin(math.atan2(P.cam_h - 0.174, sz_))
    p.ellipse(bcx, bcy, 0.075 * P.px(sz_), 0.075 * P.px(sz_) * r_, rgb("#fbfaf6"))
    p.ellipse(bcx, bcy, 0.07 * P.px(sz_), 0.07 * P.px(sz_) * r_, rgb("#e4e0d8"))

    c.blur(2.2)  # the back of the kitchen is slightly out of focus

    # Bowls of porridge in staggered rows, back to front.
    layout = []
    for row, z in enumerate((1.52, 1.33, 1.14, 0.95)):
        n = 5 if row % 2 == 0 else 4
        for i in range(n):
            x = (i - (n - 1) / 2) * 0.19 + rng.uniform(-0.012, 0.012) + 0.03
            layout.append((x, z + rng.uniform(-0.015, 0.015)))
    spoons = {len(layout) - 3: -0.45, len(layout) - 7: -0.6}
    for k, (x, z) in enumerate(layout):
        steam_spots.append(porridge_bowl(c, P, x, z, rng, spoon=spoons.get(k)))
    for x, y, s in steam_spots:
        steam(c, x, y - 0.01 * s, 0.42 * s, rng, width=s / 600, opacity=0.7)
    c.vignette(strength=0.3)


# --------------------------------------------------------------------------
# Scene: veterans collecting waste on the fields — clean paddies, a clear canal, collection bins
# --------------------------------------------------------------------------

def box3d(p: Pen, P: Persp, x0, x1, y0, y1, z0, z1, front, side, top=None):
    """An axis-aligned box; draws only the faces that look at the camera."""
    if P.cam_x > x1:
        p.poly(P.xquad(x1, y0, y1, z0, z1), side)
    elif P.cam_x < x0:
        p.poly(P.xquad(x0, y0, y1, z0, z1), side)
    if top is not None and P.cam_h > y1:
        p.poly([P.pt(x0, y1, z0), P.pt(x1, y1, z0), P.pt(x1, y1, z1), P.pt(x0, y1, z1)], top)
    p.poly(P.zquad(x0, x1, y0, y1, z0), front)


def collection_bins(p: Pen, P: Persp, x, z, rng):
    """A lidded concrete tank for used pesticide packs and a green wheelie bin, on a small pad."""
    box3d(p, P, x - 0.1, x + 1.9, 0.0, 0.08, z - 0.1, z + 1.0, rgb("#cfcac0"), rgb("#b9b3a8"), rgb("#dcd7cd"))
    # concrete tank with a hinged lid (painted, no lettering)
    body, lid = rgb("#a9cfe0"), rgb("#2f6f8a")
    box3d(p, P, x, x + 0.8, 0.08, 0.95, z, z + 0.8, body, shade(body, -0.18), shade(body, 0.1))
    p.poly(P.zquad(x, x + 0.8, 0.62, 0.72, z), rgb("#f3f1ea"))
    box3d(p, P, x - 0.04, x + 0.84, 0.95, 1.03, z - 0.04, z + 0.84, lid, shade(lid, -0.2), shade(lid, 0.15))
    hx, hy = P.pt(x + 0.4, 0.99, z - 0.05)
    hs = P.px(z)
    p.rect(hx - 0.12 * hs, hy - 0.02 * hs, hx + 0.12 * hs, hy + 0.02 * hs, shade(lid, -0.4))
    # wheelie bin
    g = rgb("#3f8f52")
    bx0, bz0 = x + 1.0, z + 0.15
    box3d(p, P, bx0, bx0 + 0.62, 0.08, 1.05, bz0, bz0 + 0.7, g, shade(g, -0.2), shade(g, 0.1))
    for k in range(1, 4):  # moulded ribs
        yk = 0.08 + 0.97 * k / 4
        p.line([P.pt(bx0 + 0.04, yk, bz0), P.pt(bx0 + 0.58, yk, bz0)], alpha(shade(g, -0.3), 0.6), max(0.6, 0.012 * hs))
    box3d(p, P, bx0 - 0.03, bx0 + 0.65, 1.05, 1.12, bz0 - 0.06, bz0 + 0.72, shade(g, -0.1), shade(g, -0.3), shade(g, 0.2))
    # shadow on the verge
    sh = [P.pt(x + 1.9, 0.081, z - 0.1), P.pt(x + 2.9, 0.081, z + 0.4), P.pt(x + 2.9, 0.081, z + 1.4), P.pt(x + 1.9, 0.081, z + 1.0)]
    p.poly(sh, alpha(rgb("#2f4a2a"), 0.25))


def rice_tufts(p: Pen, P: Persp, x0, x1, z0, z1, rng, step_x=0.25, step_z=0.22, colours=None):
    """Young rice planted in rows: small fans of blades, drawn far to near."""
    colours = colours or (rgb("#5fa83f"), rgb("#7dc04e"), rgb("#4b8f35"))
    zs = []
    z = z0
    while z < z1:
        zs.append(z)
        z += step_z * (1 + z / 12)
    for z in reversed(zs):
        s = P.px(z)
        if s * 0.3 < 2:
            continue
        x = x0
        while x < x1:
            bx, by = P.pt(x + rng.uniform(-0.03, 0.03), 0, z)
            h = rng.uniform(0.22, 0.32) * s
            col = rng.choice(colours)
            for k in range(5):
                a = -math.pi / 2 + (k - 2) * 0.22 + rng.uniform(-0.08, 0.08)
                p.line([(bx, by), (bx + math.cos(a) * h * 0.5, by + math.sin(a) * h * 0.55),
                        (bx + math.cos(a) * h * 0.85 + (k - 2) * h * 0.06, by + math.sin(a) * h)],
                       col, max(0.7, 0.012 * s))
            x += step_x


def egret(p: Pen, x, y, size, flying=False, colour=(252, 250, 244)):
    """A white egret (cò), standing in the field or flying."""
    s = size
    if flying:
        p.ellipse(x, y, s * 0.5, s * 0.16, colour)
        p.poly([(x - s * 0.1, y - s * 0.05), (x - s * 0.5, y - s * 0.7), (x - s * 0.25, y - s * 0.05)], colour)
        p.poly([(x + s * 0.05, y - s * 0.05), (x + s * 0.45, y - s * 0.6), (x + s * 0.25, y)], shade(colour, -0.08))
        p.line([(x + s * 0.45, y - s * 0.02), (x + s * 0.75, y - s * 0.08)], colour, s * 0.09)
        p.line([(x + s * 0.75, y - s * 0.08), (x + s * 0.95, y - s * 0.04)], rgb("#e8b33a"), s * 0.05)
        p.line([(x - s * 0.45, y + s * 0.02), (x - s * 0.85, y + s * 0.06)], rgb("#3a3a3a"), s * 0.03)
        return
    p.line([(x - s * 0.05, y), (x - s * 0.05, y - s * 0.45)], rgb("#3a3a3a"), s * 0.04)
    p.line([(x + s * 0.07, y), (x + s * 0.05, y - s * 0.45)], rgb("#3a3a3a"), s * 0.04)
    p.poly(ellipse_pts(x, y - s * 0.62, s * 0.34, s * 0.16, -0.35, 20), colour)
    p.line([(x + s * 0.22, y - s * 0.72), (x + s * 0.3, y - s * 0.95), (x + s * 0.2, y - s * 1.1), (x + s * 0.28, y - s * 1.22)],
           colour, s * 0.09)
    p.circle(x + s * 0.3, y - s * 1.24, s * 0.07, colour)
    p.line([(x + s * 0.34, y - s * 1.24), (x + s * 0.56, y - s * 1.2)], rgb("#e8b33a"), s * 0.04)


def draw_canh_dong(c: Canvas):
    rng = random.Random(1975)
    horizon = 700
    haze = PAL["sky_low"]
    countryside_backdrop(c, horizon, rng, sun=(820, 330, 44, rgb("#fff1c9")))
    village_treeline(c, horizon, rng)
    p = c.pen
    for x, y, sz in ((1650, 300, 34), (1760, 250, 28), (1560, 360, 24)):
        egret(p, x, y, sz, flying=True)
    P = Persp(cx=1120, horizon=horizon, f=1300, cam_h=1.75, cam_x=0.4, bend=lambda z: 0.0007 * z * z)
    c.vgradient(horizon + 2, c.h, [(0, mix(PAL["rice_light"], haze, 0.45)), (0.25, PAL["rice"]), (1, PAL["rice_dark"])])
    paddy_patchwork(c, P, 2.4, 420, 2.0, 900, rng, haze, side=1, flooded=0.0)
    paddy_patchwork(c, P, 4.8, 420, 2.0, 900, rng, haze, side=-1, flooded=0.0)
    z_near, z_far = 0.8, 500.0
    # the canal: water mirroring the sky, the far concrete wall, the coping on both sides
    water_far, water_near = mix(rgb("#bfe0ee"), haze, 0.3), rgb("#6fb3cf")
    for i in range(50, 0, -1):
        za, zb = z_near * (z_far / z_near) ** ((i - 1) / 50), z_near * (z_far / z_near) ** (i / 50)
        p.poly(P.strip(-4.0, -2.0, -0.55, za, zb, 2), mix(water_near, water_far, 1 - math.exp(-za / 40)))
    for k in range(40):  # ripples
        zr = rng.uniform(2, 60)
        xr = rng.uniform(-3.8, -2.3)
        a, b = P.pt(xr, -0.549, zr), P.pt(xr + rng.uniform(0.3, 0.8), -0.549, zr)
        p.line([a, b], alpha((255, 255, 255), 0.45), max(0.6, 0.02 * P.px(zr)))
    p.poly(P.strip(-4.0, -3.7, -0.548, z_near, z_far), alpha(rgb("#3f6f78"), 0.35))  # the bank's reflection
    wall = rgb("#c9c4b8")
    pts = [P.pt(-4.3, 0.05, z) for z in [z_near * (z_far / z_near) ** (i / 40) for i in range(41)]]
    pts += [P.pt(-4.0, -0.55, z) for z in [z_near * (z_far / z_near) ** (i / 40) for i in reversed(range(41))]]
    p.poly(pts, fogged(wall, 40, haze, 400))
    for zz in range(2, 120, 3):  # expansion joints of the lining
        p.line([P.pt(-4.3, 0.05, zz), P.pt(-4.0, -0.55, zz)], alpha(shade(wall, -0.25), 0.6), max(0.6, 0.02 * P.px(zz)))
    p.poly(P.strip(-4.7, -4.3, 0.05, z_near, z_far), fogged(shade(wall, 0.2), 40, haze, 400))
    p.poly(P.strip(-5.3, -4.7, 0.02, z_near, z_far), fogged(rgb("#7fae4e"), 40, haze, 400))
    # right coping, grass verge, the concrete field road, the right verge
    p.poly(P.strip(-2.0, -1.7, 0.05, z_near, z_far), fogged(shade(wall, 0.2), 40, haze, 400))
    p.poly(P.strip(-1.7, -1.3, 0.03, z_near, z_far), fogged(rgb("#86b552"), 40, haze, 400))
    road = rgb("#d8d2c4")
    for i in range(50, 0, -1):
        za, zb = z_near * (z_far / z_near) ** ((i - 1) / 50), z_near * (z_far / z_near) ** (i / 50)
        p.poly(P.strip(-1.3, 1.3, 0.08, za, zb, 2), mix(road, fogged(road, 200, haze, 200), 1 - math.exp(-za / 60)))
    for zz in range(3, 200, 4):
        p.line([P.pt(-1.3, 0.08, zz), P.pt(1.3, 0.08, zz)], alpha(shade(road, -0.2), 0.6), max(0.6, 0.02 * P.px(zz)))
    p.poly(P.strip(1.3, 2.4, 0.03, z_near, z_far), fogged(rgb("#86b552"), 40, haze, 400))
    # grass tufts on the verges
    for _ in range(500):
        side = rng.choice((-1, 1))
        zt = 0.9 * (60 / 0.9) ** rng.random()
        xt = rng.uniform(-1.7, -1.35) if side < 0 else rng.uniform(1.35, 2.3)
        bx, by = P.pt(xt, 0.03, zt)
        hs = P.px(zt) * rng.uniform(0.06, 0.12)
        for k in range(3):
            a = -math.pi / 2 + (k - 1) * 0.5
            p.line([(bx, by), (bx + math.cos(a) * hs, by + math.sin(a) * hs)], rgb("#4f8f3a"), max(0.6, 0.01 * P.px(zt)))
    # young rice in rows close to the road, egrets in the field
    rice_tufts(p, P, 2.5, 9.0, 2.2, 30.0, rng)
    rice_tufts(p, P, -11.0, -5.4, 3.0, 30.0, rng)
    for xe, ze, se in ((13.0, 16, 0.9), (-9.0, 28, 0.9), (16.0, 42, 0.9)):
        bx, by = P.pt(xe, 0, ze)
        egret(p, bx, by, se * P.px(ze))
    # the collection bins at the field edge, near and along the road
    for zb in (150.0, 62.0, 6.2):
        collection_bins(p, P, 1.55, zb, rng)
    c.vignette(strength=0.22)


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

SCENES = [
    # (record folder under content/entries, file name, drawing function, (width, height))
    ("ha-nam/thanh-liem/duong-hoa-quan-su", "duong-hoa.jpg", draw_duong_hoa, (2400, 1600)),
    ("ha-nam/thanh-liem/duong-hoa-quan-su", "duong-hoa-can-canh.jpg", draw_duong_hoa_can_canh, (2400, 1600)),
    ("ha-nam/thanh-liem/thap-sang-duong-lang-ngo-xom", "duong-lang-thap-sang.jpg", draw_duong_lang, (2400, 1600)),
    ("ha-nam/thanh-liem/hu-gao-tiet-kiem", "hu-gao.jpg", draw_hu_gao, (1600, 2000)),
    ("quang-tri/dong-ha/cot-dien-no-hoa", "cot-dien-no-hoa.jpg", draw_cot_dien, (2400, 1600)),
    ("quang-tri/dong-ha/bat-chao-yeu-thuong", "bat-chao.jpg", draw_bat_chao, (2400, 1600)),
    ("ha-nam/thanh-liem/cuu-chien-binh-thu-gom-rac-thai-tren-dong-ruong", "canh-dong-sach.jpg", draw_canh_dong,
     (2400, 1600)),
]


def save_jpeg(img: Image.Image, path: Path) -> None:
    """Baseline sRGB JPEG, quality 88, with no EXIF, ICC profile or comment."""
    clean = Image.new("RGB", img.size)
    clean.paste(img.convert("RGB"))  # a fresh image carries no `info` from anywhere
    clean.save(path, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("only", nargs="*", help="draw only files whose name contains one of these")
    ap.add_argument("--preview", type=Path, help="also save 1200-pixel PNG previews in this folder")
    args = ap.parse_args()
    for folder, name, fn, (w, h) in SCENES:
        if args.only and not any(o in name for o in args.only):
            continue
        c = Canvas(w, h)
        fn(c)
        img = c.result()
        out = ENTRIES / folder / name
        save_jpeg(img, out)
        print(f"{out.relative_to(ROOT)}: {w}x{h}, {out.stat().st_size} bytes")
        if args.preview:
            args.preview.mkdir(parents=True, exist_ok=True)
            prev = img.copy()
            prev.thumbnail((1200, 1200), Image.LANCZOS)
            prev.save(args.preview / (Path(name).stem + ".png"))


if __name__ == "__main__":
    main()
