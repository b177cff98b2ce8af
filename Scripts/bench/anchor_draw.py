"""Anchors for VisDraw workloads: the same random geometry (draw-geometry.json, written by vis-bench) drawn with
OpenCV (anti-aliased, integer coordinates as cv2 takes them) and Pillow ImageDraw, on a copy of the scene."""
import json
import os


def _inputs(workdir):
    import numpy as np
    from PIL import Image
    scene = np.asarray(Image.open(os.path.join(workdir, "scene-1333x800.png")).convert("RGB"))
    with open(os.path.join(workdir, "draw-geometry.json")) as handle:
        geometry = json.load(handle)
    return scene, geometry


def opencv_rects(workdir):
    import cv2
    scene, geometry = _inputs(workdir)
    boxes = [(int(round(x)), int(round(y)), int(round(x + w)), int(round(y + h))) for x, y, w, h in geometry["rectangles"]]

    def run():
        image = scene.copy()
        for x1, y1, x2, y2 in boxes:
            cv2.rectangle(image, (x1, y1), (x2, y2), (0, 200, 0), 2, cv2.LINE_AA)
    return run


def pillow_rects(workdir):
    from PIL import Image, ImageDraw
    scene, geometry = _inputs(workdir)
    base = Image.fromarray(scene)
    boxes = [(x, y, x + w, y + h) for x, y, w, h in geometry["rectangles"]]

    def run():
        image = base.copy()
        draw = ImageDraw.Draw(image)
        for box in boxes:
            draw.rectangle(box, outline=(0, 200, 0), width=2)
    return run


def opencv_circles(workdir):
    import cv2
    scene, geometry = _inputs(workdir)
    circles = [(int(round(x)), int(round(y)), max(int(round(r)), 1)) for x, y, r in geometry["circles"]]

    def run():
        image = scene.copy()
        for x, y, r in circles:
            cv2.circle(image, (x, y), r, (220, 40, 40), -1, cv2.LINE_AA)
    return run


def pillow_rects_round(workdir):
    """Pillow has no join option for rectangles; rounded_rectangle with radius = half the width is the closest."""
    from PIL import Image, ImageDraw
    scene, geometry = _inputs(workdir)
    base = Image.fromarray(scene)
    boxes = [(x, y, x + w, y + h) for x, y, w, h in geometry["rectangles"]]

    def run():
        image = base.copy()
        draw = ImageDraw.Draw(image)
        for box in boxes:
            draw.rounded_rectangle(box, radius=1, outline=(0, 200, 0), width=2)
    return run


def pillow_circles(workdir):
    from PIL import Image, ImageDraw
    scene, geometry = _inputs(workdir)
    base = Image.fromarray(scene)
    boxes = [(x - r, y - r, x + r, y + r) for x, y, r in geometry["circles"]]

    def run():
        image = base.copy()
        draw = ImageDraw.Draw(image)
        for box in boxes:
            draw.ellipse(box, fill=(220, 40, 40))
    return run


def opencv_text_opaque(workdir):
    import anchor_text  # beside this file; anchors.py puts the folder on sys.path
    return anchor_text.opencv_labels(workdir)


def pillow_text_opaque(workdir):
    import anchor_text
    return anchor_text.pillow_labels(workdir)


WORKLOADS = {
    "draw.rect_outlines.aa2px.10000": {"opencv": opencv_rects, "pillow": pillow_rects},
    # cv2.rectangle has no join style: the same call as the miter workload anchors the round one.
    "draw.rect_outlines.aa2px_round.10000": {"opencv": opencv_rects, "pillow": pillow_rects_round},
    "draw.circles.filled.10000": {"opencv": opencv_circles, "pillow": pillow_circles},
    # The text workload with opaque boxes, as OpenCV and Pillow draw them in anchor_text.py.
    "draw.text_labels.bg_opaque.1000": {"opencv": opencv_text_opaque, "pillow": pillow_text_opaque},
}
