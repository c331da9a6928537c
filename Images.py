"""Image operations, NumPy only, that Draw.py's steps are built from: each works on a 2-D array
of ink (0..1, ink bright on 0) and returns a new array, never changing the one it is given.

    background_surface(signal)      a smooth quadratic surface fitted to the background, and its noise
    shadow(residual)                what the surface left of a shadow broader than any stroke (or zeros)
    opening(image, size)            bright features narrower than size taken away (a min, then a max filter)
    neighbour_count(mask)           how many of each pixel's 8 neighbours are set
    remove_lines(ink)               printed lines (ruled or squared paper) taken off, strokes kept (and a
                                    digit cropped to its edges, whose strokes run across the whole picture)
    label_pieces(mask)              connected pieces (8 neighbours): union-find over runs of each row
    stroke_width(ink)               the mean width of the strokes, from area and outline
    max_filter(image, size)         the largest value in each size x size square
    area_resize_matrix(n_in, n_out, scale)   the matrix that resizes by area averaging

Draw.py's module docstring says which step uses which, and why.
"""
import numpy as np


def background_surface(signal, rounds=5):
    """The background of signal (ink bright) as a quadratic surface in (row, column), and the spread
    sigma of the background pixels around it.

    Fitted by least squares to the darker half of a grid of at most about 4,000 pixels, then again
    to only those that do not stand out above the fit by more than 2.5 sigma, rounds times: the
    ink, a bright minority however dense it is locally, drops out, and the gentle shading of
    paper remains.
    """
    height, width = signal.shape
    step = max(1, int(np.sqrt(height * width / 4000)))

    def basis(rows, columns):
        y, x = rows / height - 0.5, columns / width - 0.5
        return np.stack([np.ones_like(y), y, x, y * y, x * y, x * x], axis=-1)

    rows, columns = np.mgrid[0:height:step, 0:width:step].astype(np.float64)
    B = basis(rows.ravel(), columns.ravel())                          # (points, 6)
    values = signal[::step, ::step].ravel()
    background = values <= np.median(values)        # a start: the ink is a bright minority
    for _ in range(rounds):
        coefficients = np.linalg.lstsq(B[background], values[background], rcond=None)[0]
        residual = values - B @ coefficients
        sigma = 1.4826 * np.median(np.abs(residual[background] - np.median(residual[background])))
        background = residual <= 2.5 * sigma + 1e-12
    rows, columns = np.mgrid[0:height, 0:width].astype(np.float64)
    return basis(rows, columns) @ coefficients, sigma


SHADOW_REACH = 8.0       # a shadow is broader than this many times the width of the strokes' core; a
                         # stroke, with its crossings and bends (about twice its width), is narrower
SHADOW_LEVEL = 0.1       # a shadow is darker than the paper by this share of the ink at least ...
SHADOW_AREA = 0.01       # ... over more than this share of the picture
SHADOW_PAPER = 0.1       # no shadow is looked for where the ink covers more than this share of the picture


def shadow(residual):
    """What the smooth surface left of a shadow (a hand's or a phone's: darker than the paper around
    it, broader than any stroke), to be taken off the residual with the background; zeros if none.

    Found on a copy about 150 px across: opened (a min filter, then a max filter) by a square an
    eighth of the picture wide, which no stroke or line survives (a bold digit's thickest parts
    may), a shadow leaves more than SHADOW_AREA of the picture above SHADOW_LEVEL of the ink, and
    more than the ink itself covers. Then it is followed closely: the
    residual opened by a square SHADOW_REACH times as wide as the strokes' core (their darkest part,
    less a pixel all round, so that printed lines do not count)."""
    factor = max(1, max(residual.shape) // 150)
    height, width = (residual.shape[0] // factor) * factor, (residual.shape[1] // factor) * factor
    small = residual[:height, :width].reshape(height // factor, factor, width // factor, factor).mean(axis=(1, 3))
    broad = 2 * (max(small.shape) // 16) + 1
    inked = np.mean(residual >= 0.5 * residual.max())
    if inked > SHADOW_PAPER:                     # the digit fills the picture: no paper to cast a shadow on
        return np.zeros_like(residual)
    if np.mean(opening(small, broad) > SHADOW_LEVEL * residual.max()) <= max(SHADOW_AREA, inked):
        return np.zeros_like(residual)                                         # none, or no broader than the ink
    core = residual >= 0.75 * residual.max()
    core &= max_filter(-core.astype(np.float64), 3) == 0
    size = 2 * int(SHADOW_REACH * (stroke_width(core.astype(np.float64)) + 2) / 2) + 1
    return opening(residual, size)


def opening(image, size):
    """The largest of the smallest values around each pixel: bright features narrower than size x
    size are taken away, broader ones stay."""
    return max_filter(-max_filter(-image, size), size)


def neighbour_count(mask):
    """For each pixel, how many of its 8 neighbours are True."""
    padded = np.pad(mask.astype(np.int8), 1)
    height, width = mask.shape
    return sum(padded[1 + dr:1 + dr + height, 1 + dc:1 + dc + width]
               for dr in (-1, 0, 1) for dc in (-1, 0, 1) if dr or dc)


LINE_SHARE = 0.8       # a printed line has ink on more than this share of its length across the picture ...
PRINTED_LEVEL = 0.9    # ... and is lighter than this share of the digit's ink
LINE_TILTS = np.radians(np.arange(-4, 4.01, 0.5))
STROKE_OVER_LINE = 0.25   # a pixel on a line this much darker than the line belongs to a stroke that crosses it
LINE_WIDTH = 5         # a printed line covers at most this many neighbouring lines (1-2 px, anti-aliased)
PAST_DIGIT = 0.1       # a printed line runs past the digit: ink on more than this share of the picture beyond it


def remove_lines(ink):
    """ink without the printed lines that cross the picture (see keep_digit); a new array.

    First the lines along the rows, then along the columns: every inked pixel is given the line it
    lies on (its offset across, rounded) for each tilt in LINE_TILTS, and the tilt whose fullest
    line holds the most pixels is the paper's. A printed line has ink at more than LINE_SHARE of the
    positions along the picture (on it or on a line beside it, so that a tilt between two of
    LINE_TILTS still counts), is lighter than the digit (its median level below PRINTED_LEVEL of the
    brightest ink: a stroke drawn across the whole picture stays), is thin (no more than LINE_WIDTH
    such lines side by side: a band as wide as a stroke is a stroke's) and runs past the digit: it has ink
    on more than PAST_DIGIT of the picture's length beyond the ink that lies on no such line (a
    digit cropped to its edges has strokes across the whole picture, lighter at their anti-aliased
    edges, and nothing beyond them). Its median level (a bit more, for the anti-aliasing) is taken
    off the pixels on it and on the lines beside it (a line 2 px wide, or between two rows), except
    where a pixel is STROKE_OVER_LINE darker than the line: a stroke that crosses it stays whole.
    """
    ink = ink.copy()
    if not ink.any():
        return ink
    # where the digit is: the ink on no line that could be printed, in either direction
    on_a_line = np.zeros(ink.shape, dtype=bool)
    for along_rows in (True, False):
        lines, rows, columns = _line_candidates(ink, along_rows)
        on_a_line[rows[lines], columns[lines]] = True
    # the digit: the pieces of that ink with a tenth of the largest one's ink or more (not the odd
    # fragment of a line cut by the picture's edge, which lies on no line that crosses it all)
    labels, count = label_pieces((ink > 0) & ~on_a_line)
    mass = np.bincount(labels.ravel(), weights=ink.ravel(), minlength=count + 1)
    mass[0] = 0
    digit_rows, digit_columns = np.nonzero((mass >= 0.1 * mass.max())[labels] & (labels > 0)) if count else ((), ())
    digit_rows, digit_columns = np.asarray(digit_rows), np.asarray(digit_columns)
    for along_rows in (True, False):
        rows, columns = np.nonzero(ink)
        if len(rows) == 0:
            break
        along, across, length = (columns, rows, ink.shape[1]) if along_rows else (rows, columns, ink.shape[0])
        digit_along = digit_columns if along_rows else digit_rows
        if len(digit_along):      # the digit's extent, leaving out the odd speck or tick (1% each side)
            first, last = np.percentile(digit_along, [1, 99])
        offset, counts, covered, occupied = _lines(along, across, length)
        level = _light_levels(ink, rows, columns, offset, counts, covered, length)
        for line in np.flatnonzero(level[1:-1]) if len(digit_along) else ():    # it must run past the digit
            positions = np.flatnonzero(occupied[line] | occupied[line + 1] | occupied[line + 2])
            if np.sum((positions < first) | (positions > last)) <= PAST_DIGIT * length:
                level[line + 1] = 0.0
        level[~thin_runs(level > 0)] = 0.0
        if not level.any():
            continue
        # each pixel loses the level of its own line or of a line beside it, whichever is higher,
        # unless it is clearly darker than the line: there a digit's stroke crosses it
        loss = np.maximum(np.maximum(level[offset], level[offset + 1]), level[offset + 2])
        values = ink[rows, columns]
        ink[rows, columns] = np.where(values > loss + STROKE_OVER_LINE, values, np.clip(values - 1.1 * loss, 0, None))
    return ink


def _lines(along, across, length):
    """The inked pixels' lines at the paper's tilt: (offset of each pixel's line, pixels per line,
    positions covered by each line and its neighbours, occupied[line + 1, position])."""
    best = None
    for tilt in LINE_TILTS:
        offset = np.round(across - along * np.tan(tilt)).astype(np.int64)
        offset -= offset.min()
        counts = np.bincount(offset)
        if best is None or counts.max() > best[0].max():
            best = counts, offset
    counts, offset = best
    occupied = np.zeros((counts.size + 2, length), dtype=bool)      # [line + 1, position along]
    occupied[offset + 1, along] = True
    covered = (occupied[:-2] | occupied[1:-1] | occupied[2:]).sum(axis=1)   # a line and its neighbours
    return offset, counts, covered, occupied


def _line_candidates(ink, along_rows):
    """Which inked pixels (as rows, columns of np.nonzero(ink)) lie on a line that covers most of the
    picture and is lighter than the digit, or on a line beside it: (mask, rows, columns)."""
    rows, columns = np.nonzero(ink)
    along, across, length = (columns, rows, ink.shape[1]) if along_rows else (rows, columns, ink.shape[0])
    offset, counts, covered, _ = _lines(along, across, length)
    light = thin_runs(_light_levels(ink, rows, columns, offset, counts, covered, length) > 0)
    return light[offset] | light[offset + 1] | light[offset + 2], rows, columns


def _light_levels(ink, rows, columns, offset, counts, covered, length):
    """level[line + 1]: the median ink of each line that covers more than LINE_SHARE of the picture
    and is lighter than PRINTED_LEVEL; 0 for every other line."""
    level = np.zeros(counts.size + 2)
    for line in np.flatnonzero((covered > LINE_SHARE * length) & (counts > 0)):
        median = np.median(ink[rows[offset == line], columns[offset == line]])
        if median < PRINTED_LEVEL:
            level[line + 1] = median
    return level


def thin_runs(lines):
    """lines (a boolean per line) with every run of more than LINE_WIDTH neighbouring lines cleared:
    a printed line is 1-2 px wide (3 lines with its anti-aliased edges); a band of lines as wide as
    a stroke is a stroke's (a digit cropped to its edges, a digit drawn in blocks)."""
    padded = np.concatenate([[False], lines, [False]]).astype(np.int8)
    starts, ends = np.flatnonzero(np.diff(padded) == 1), np.flatnonzero(np.diff(padded) == -1)
    thin = lines.copy()
    for start, end in zip(starts, ends):
        if end - start > LINE_WIDTH:
            thin[start:end] = False
    return thin


def label_pieces(mask):
    """Connected pieces of a boolean image (8 neighbours): (labels, count), labels 1..count, 0 where
    mask is False. Runs of True along each row are joined to the runs they touch in the next row."""
    height, width = mask.shape
    padded = np.zeros((height, width + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    change = np.diff(padded, axis=1)
    start_rows, starts = np.nonzero(change == 1)
    end_rows, ends = np.nonzero(change == -1)              # runs are [start, end) in each row
    parent = list(range(len(starts)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    first = np.searchsorted(start_rows, np.arange(height + 1))      # runs of row r: first[r]..first[r+1]
    for row in range(height - 1):
        a, b = first[row], first[row + 1]
        c, d = first[row + 1], first[row + 2]
        j = c
        for i in range(a, b):
            while j < d and ends[j] < starts[i]:          # runs of the next row wholly to the left
                j += 1
            k = j
            while k < d and starts[k] <= ends[i]:         # touching, diagonals included
                parent[root(k)] = root(i)
                k += 1
    roots = np.array([root(i) for i in range(len(starts))], dtype=np.int64)
    _, ids = np.unique(roots, return_inverse=True)
    labels = np.zeros((height, width), dtype=np.int64)
    for run in range(len(starts)):
        labels[start_rows[run], starts[run]:ends[run]] = ids[run] + 1
    return labels, int(ids.max()) + 1 if len(ids) else 0


def stroke_width(ink):
    """The mean width of the strokes in pixels: 2 x area / outline of the pixels at least half the
    brightest (a stroke of width w and length L has area w L and an outline of about 2 L)."""
    solid = ink >= 0.5 * ink.max()
    padded = np.pad(solid, 1)
    outline = np.count_nonzero(padded[1:] != padded[:-1]) + np.count_nonzero(padded[:, 1:] != padded[:, :-1])
    return 2 * np.count_nonzero(solid) / max(outline, 1)


def max_filter(image, size):
    """The largest value in the size x size square around each pixel (size odd; outside counts as 0)."""
    half = size // 2
    padded = np.pad(image, half)
    rows = np.lib.stride_tricks.sliding_window_view(padded, size, axis=0).max(axis=-1)
    return np.lib.stride_tricks.sliding_window_view(rows, size, axis=1).max(axis=-1)


def area_resize_matrix(n_in, n_out, scale):
    """R (n_out, n_in) with R[i, j] = overlap of output pixel i with input pixel j, over the output pixel's width.

    Output pixel i covers the input interval [offset + i scale, offset + (i + 1) scale), centred on
    the input; R @ x averages x over that interval (area averaging: anti-aliased, never skipping
    pixels as nearest-neighbour does, and exact for any scale, up or down).
    """
    offset = (n_in - n_out * scale) / 2
    starts = offset + scale * np.arange(n_out)[:, None]          # (n_out, 1)
    pixel = np.arange(n_in)[None, :]                             # (1, n_in)
    overlap = np.minimum(starts + scale, pixel + 1) - np.maximum(starts, pixel)
    return np.clip(overlap, 0, None) / scale
