"""Made-up photos of MNIST test digits, the way real pictures of handwriting come: on squared or ruled
paper, inside a plot window's frame, drawn with a thin pen, photographed (uneven light, noise, blur,
JPEG), cropped to the digit's edges, with a shadow across the digit or beside it. Each takes a (784,) test digit 0..255 and a generator and returns a 2-D grey image 0..1 (dark
ink on light paper), except photographed, which returns the bytes of a JPEG file. Used by
tests/test_draw.py and benchmarks/own_digits.py."""
import io

import numpy as np

INK = 0.85            # how much of the paper's light the ink takes away


def enlarge(image, side):
    """A 28x28 image (0..1) enlarged to side x side with bilinear interpolation."""
    factor = side / 28
    source = (np.arange(side) + 0.5) / factor - 0.5
    M = np.clip(1 - np.abs(source[:, None] - np.arange(28)[None, :]), 0, None)     # (side, 28)
    return M @ image @ M.T


def drawn_like(digit, rng):
    """A test digit enlarged 3-7x and put at a random place on a larger dark canvas, ink 0..1."""
    big = enlarge(np.reshape(digit, (28, 28)) / 255.0, int(28 * rng.uniform(3, 7)))
    canvas = np.zeros((len(big) + rng.integers(20, 200), len(big) + rng.integers(20, 200)))
    top, left = rng.integers(0, canvas.shape[0] - len(big) + 1), rng.integers(0, canvas.shape[1] - len(big) + 1)
    canvas[top:top + len(big), left:left + len(big)] = big
    return canvas


def scan_like(digit, rng):
    """Dark ink on light paper that is unevenly lit and noisy, like a photo of a digit on paper."""
    ink = np.clip(drawn_like(digit, rng), 0, 1)
    rows, columns = np.mgrid[0:ink.shape[0], 0:ink.shape[1]]
    paper = 0.8 + 0.12 * (columns / ink.shape[1] - 0.5) + 0.08 * (rows / ink.shape[0] - 0.5)
    return np.clip(paper * (1 - 0.85 * ink) + rng.normal(0, 0.03, ink.shape), 0, 1)


def place(ink, page_side, rng):
    """ink (0..1) put at a random place on a page_side x page_side page of zeros, not touching its border."""
    page = np.zeros((page_side, page_side))
    room = page_side - len(ink)
    top, left = rng.integers(room // 4, room - room // 4 + 1, size=2)
    page[top:top + len(ink), left:left + len(ink)] = ink
    return page


def digit_on_page(digit, rng, page=(200, 400), share=(0.5, 0.75)):
    """The digit's ink (0..1) enlarged to share of a page of side page, placed at random: (ink, side)."""
    side = int(rng.integers(*page, endpoint=True))
    big = np.clip(enlarge(np.reshape(digit, (28, 28)) / 255.0, int(side * rng.uniform(*share))), 0, 1)
    return place(big, side, rng), side


def lines(side, spacing, angle, width, directions, rng):
    """Straight lines (0..1) across a side x side page: every spacing px, turned by angle (radians),
    width px wide, horizontal ('h') and/or vertical ('v'), anti-aliased."""
    rows, columns = np.mgrid[0:side, 0:side].astype(np.float64)
    out = np.zeros((side, side))
    for direction in directions:
        if direction == "h":
            offset = rows * np.cos(angle) - columns * np.sin(angle)
        else:
            offset = columns * np.cos(angle) + rows * np.sin(angle)
        phase = (offset - rng.uniform(0, spacing)) % spacing
        distance = np.minimum(phase, spacing - phase)
        out = np.maximum(out, np.clip(width / 2 + 0.5 - distance, 0, 1))
    return out


def on_paper(ink, marks, rng, light=0.92):
    """Dark ink and printed marks (each 0..1) on paper of the given lightness: the darker one wins."""
    darkness = np.maximum(INK * ink, marks)
    return np.clip(light * (1 - darkness) + rng.normal(0, 0.01, ink.shape), 0, 1)


def grid_paper(digit, rng):
    """Squared paper: the page spans 4-8 squares, lines 1-2 px, grey 0.4-0.7 of the ink's, turned up to 3 degrees."""
    ink, side = digit_on_page(digit, rng)
    grid = lines(side, side / rng.uniform(4, 8), np.radians(rng.uniform(-3, 3)), rng.uniform(1, 2), "hv", rng)
    return on_paper(ink, INK * rng.uniform(0.4, 0.7) * grid, rng)


def ruled_paper(digit, rng):
    """Ruled paper: horizontal lines, 3-6 to the page, 1-2 px, grey 0.4-0.7 of the ink's, turned up to 3 degrees."""
    ink, side = digit_on_page(digit, rng)
    ruled = lines(side, side / rng.uniform(3, 6), np.radians(rng.uniform(-3, 3)), rng.uniform(1, 2), "h", rng)
    return on_paper(ink, INK * rng.uniform(0.4, 0.7) * ruled, rng)


def framed(digit, rng):
    """A plot window: a black box 10-30 px inside the picture's edge, tick marks every 30-50 px, the
    digit inside with margins."""
    ink, side = digit_on_page(digit, rng, share=(0.45, 0.6))
    frame = np.zeros((side, side))
    margin, tick, every = int(rng.integers(10, 31)), 6, int(rng.integers(30, 51))
    low, high = margin, side - margin - 1
    frame[low, low:high + 1] = frame[high, low:high + 1] = 1
    frame[low:high + 1, low] = frame[low:high + 1, high] = 1
    for position in range(low + every, high, every):
        frame[high:high + tick, position] = 1            # ticks below the x axis ...
        frame[position, low - tick + 1:low + 1] = 1      # ... and left of the y axis
    return on_paper(ink, INK * frame, rng, light=1.0)


def skeleton(binary):
    """Zhang-Suen thinning of a boolean image: its strokes one pixel wide, connected as before."""
    image = np.pad(binary.astype(bool), 1)
    while True:
        changed = False
        for step in (0, 1):
            p = [np.roll(np.roll(image, -dr, 0), -dc, 1) for dr, dc in
                 ((-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))]   # P2..P9
            neighbours = sum(q.astype(int) for q in p)
            transitions = sum((~p[k] & p[(k + 1) % 8]).astype(int) for k in range(8))
            if step == 0:
                gone = ~(p[0] & p[2] & p[4]) & ~(p[2] & p[4] & p[6])
            else:
                gone = ~(p[0] & p[2] & p[6]) & ~(p[0] & p[4] & p[6])
            delete = image & (neighbours >= 2) & (neighbours <= 6) & (transitions == 1) & gone
            if delete.any():
                image &= ~delete
                changed = True
        if not changed:
            return image[1:-1, 1:-1]


def pen_drawing(digit, shape, scale, width, offset):
    """The digit's centre line drawn with a pen width px wide, its 28 px scaled by scale, at offset
    (row, column) on a page of shape: ink 0..1."""
    centre_line = skeleton(np.reshape(digit, (28, 28)) >= 50)             # faint parts of a stroke too
    points = np.argwhere(centre_line).astype(np.float64)
    ink = np.zeros(shape)
    neighbours = np.abs(points[:, None] - points[None, :]).max(axis=2) == 1     # 8-neighbours on the centre line
    for i, j in zip(*np.nonzero(np.triu(neighbours))):
        start, end = points[i] * scale + offset, points[j] * scale + offset
        low = np.floor(np.minimum(start, end) - width - 1).astype(int).clip(0, shape)
        high = np.ceil(np.maximum(start, end) + width + 2).astype(int).clip(0, shape)
        rows, columns = np.mgrid[low[0]:high[0], low[1]:high[1]].astype(np.float64)   # the segment's box
        direction = end - start
        t = np.clip(((rows - start[0]) * direction[0] + (columns - start[1]) * direction[1])
                    / (direction @ direction), 0, 1)
        distance = np.hypot(rows - start[0] - t * direction[0], columns - start[1] - t * direction[1])
        box = ink[low[0]:high[0], low[1]:high[1]]
        np.maximum(box, np.clip(width / 2 + 0.5 - distance, 0, 1), out=box)
    return ink


def thin_pen(digit, rng):
    """The digit's centre line drawn with a pen 1-2 px wide on a 300 px page, dark on white."""
    side, scale = 300, rng.uniform(6.5, 8.5)                # the digit's 28 px become ~180-240 px
    width = rng.uniform(1, 2)
    offset = (side - 28 * scale) / 2 + rng.uniform(-15, 15, size=2)
    ink = pen_drawing(digit, (side, side), scale, width, offset)
    return on_paper(ink, np.zeros_like(ink), rng, light=0.95)


def blur(image):
    """A light 3x3 blur (weights 1 2 1 each way)."""
    padded = np.pad(image, 1, mode="edge")
    rows = padded[:-2] + 2 * padded[1:-1] + padded[2:]
    return (rows[:, :-2] + 2 * rows[:, 1:-1] + rows[:, 2:]) / 16


def photographed(digit, rng):
    """A photo of the digit on plain paper: light falling off to one side, noise, a slight blur, saved
    as a JPEG of quality 70. Returns the file's bytes (read them with Draw.load_digit_image)."""
    from PIL import Image
    ink, side = digit_on_page(digit, rng)
    rows, columns = np.mgrid[0:side, 0:side] / side
    light = 0.9 - 0.25 * columns * rng.uniform(0.5, 1) - 0.1 * rows
    image = blur(np.clip(light * (1 - INK * ink) + rng.normal(0, 0.03, ink.shape), 0, 1))
    buffer = io.BytesIO()
    Image.fromarray((255 * image).astype(np.uint8)).save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def cropped(digit, rng, margin=0):
    """The digit cropped to its ink (with margin px of the 28x28 kept around it), enlarged 10x and
    inverted to dark ink on white paper: a learner who crops a photo to the digit."""
    image = np.reshape(digit, (28, 28)) / 255.0
    rows, columns = np.nonzero(image > 0)
    top, bottom = max(0, rows.min() - margin), min(28, rows.max() + 1 + margin)
    left, right = max(0, columns.min() - margin), min(28, columns.max() + 1 + margin)
    crop = image[top:bottom, left:right]
    factor = 10
    source_r = (np.arange(crop.shape[0] * factor) + 0.5) / factor - 0.5
    source_c = (np.arange(crop.shape[1] * factor) + 0.5) / factor - 0.5
    R = np.clip(1 - np.abs(source_r[:, None] - np.arange(crop.shape[0])[None, :]), 0, None)
    C = np.clip(1 - np.abs(source_c[:, None] - np.arange(crop.shape[1])[None, :]), 0, None)
    R /= R.sum(axis=1, keepdims=True)                     # edges: no fading towards the border
    C /= C.sum(axis=1, keepdims=True)
    return 1 - INK * np.clip(R @ crop @ C.T, 0, 1)


def shadowed(digit, rng, strength=0.4, softness=0.25, across=True):
    """A photo of a thin digit (a 4 px pen) about 170 px tall on a 1200x900 page with a shadow (a
    hand's or a phone's): strength darker at its centre, falling off over softness of the page's
    width (0.25 soft, 0.08 hard), its centre on the digit (across) or beside it."""
    height, width = 900, 1200
    top, left = int(rng.integers(250, 450)), int(rng.integers(350, 650))
    page = pen_drawing(digit, (height, width), 8.5, 4, np.array([top, left], dtype=np.float64))
    rows, columns = np.mgrid[0:height, 0:width]
    centre_row = top + 120 + rng.uniform(-30, 30)
    centre_column = left + 120 + (rng.uniform(-30, 30) if across else rng.choice([-1, 1]) * rng.uniform(200, 260))
    distance = np.hypot(rows - centre_row, columns - centre_column) / width
    shade = 1 - strength * np.exp(-(distance / softness) ** 2)
    return np.clip(0.9 * shade * (1 - INK * page) + rng.normal(0, 0.02, page.shape), 0, 1)


RENDERINGS = {"grid paper": grid_paper, "ruled paper": ruled_paper, "framed": framed, "thin pen": thin_pen,
              "photographed": photographed}
CROPPED = {"cropped to the edges": lambda digit, rng: cropped(digit, rng, 0),
           "cropped, 1 px margin": lambda digit, rng: cropped(digit, rng, 1),
           "cropped, 3 px margin": lambda digit, rng: cropped(digit, rng, 3)}
SHADOWS = {"soft shadow across": lambda digit, rng: shadowed(digit, rng, 0.4, 0.25, True),
           "hard shadow across": lambda digit, rng: shadowed(digit, rng, 0.4, 0.08, True),
           "soft shadow beside": lambda digit, rng: shadowed(digit, rng, 0.4, 0.25, False),
           "hard shadow beside": lambda digit, rng: shadowed(digit, rng, 0.4, 0.08, False)}
KINDS = {"drawn-like": drawn_like, "scan-like": scan_like, **RENDERINGS, **CROPPED, **SHADOWS}


def render(kind, digit, rng):
    """The digit as a picture of the given kind (a key of KINDS), as an array: a JPEG is decoded."""
    picture = KINDS[kind](digit, rng)
    if isinstance(picture, bytes):
        from PIL import Image
        picture = np.asarray(Image.open(io.BytesIO(picture)))
    return picture
