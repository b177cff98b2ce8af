"""Anchors for VisDraw text: the same 1000 labels (text-labels.json, written by vis-bench) drawn with OpenCV's
Hershey font (cv2.putText, LINE_AA) and with Pillow's FreeType text (DejaVu Sans), each over a filled box sized
from the library's own text measurement. OpenCV's box is opaque (cv2.rectangle); Pillow's is too."""
import json
import os

POINTS_TO_PIXELS = 100.0 / 72.0
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _labels(workdir):
    with open(os.path.join(workdir, "text-labels.json")) as handle:
        return json.load(handle)


def _scene_array(workdir):
    import numpy as np
    from PIL import Image
    return np.asarray(Image.open(os.path.join(workdir, "scene-1333x800.png")).convert("RGB")).copy()


def opencv_labels(workdir):
    import cv2
    labels = _labels(workdir)
    scene = _scene_array(workdir)
    font = cv2.FONT_HERSHEY_SIMPLEX
    # Hershey's cap height is about 22 px at scale 1; match the caps of DejaVu Sans (0.73 em) at each size.
    prepared = []
    for label in labels:
        scale = label["size_pt"] * POINTS_TO_PIXELS * 0.73 / 22.0
        x, y = int(label["x"]), int(label["y"])
        prepared.append((label["text"], x, y, scale, tuple(int(c) for c in label["box"])))

    def run():
        image = scene.copy()
        for text, x, y, scale, box in prepared:
            (width, height), baseline = cv2.getTextSize(text, font, scale, 1)
            cv2.rectangle(image, (x, y), (x + width, y + height + baseline), box, -1)
            cv2.putText(image, text, (x, y + height), font, scale, (255, 255, 255), 1, cv2.LINE_AA)
    return run


def opencv_alpha_labels(workdir):
    """Like opencv_labels, but the box is blended at alpha 0.8 as in the Swift workload (MMDetection's label
    style): the rectangle is drawn on a copy of the label's region and mixed back with cv2.addWeighted."""
    import cv2
    labels = _labels(workdir)
    scene = _scene_array(workdir)
    font = cv2.FONT_HERSHEY_SIMPLEX
    prepared = []
    for label in labels:
        scale = label["size_pt"] * POINTS_TO_PIXELS * 0.73 / 22.0
        prepared.append((label["text"], int(label["x"]), int(label["y"]), scale, tuple(int(c) for c in label["box"])))

    def run():
        image = scene.copy()
        for text, x, y, scale, box in prepared:
            (width, height), baseline = cv2.getTextSize(text, font, scale, 1)
            region = image[y:y + height + baseline + 1, x:x + width + 1]
            overlay = region.copy()
            overlay[:] = box
            cv2.addWeighted(overlay, 0.8, region, 0.2, 0, dst=region)
            cv2.putText(image, text, (x, y + height), font, scale, (255, 255, 255), 1, cv2.LINE_AA)
    return run


def pillow_labels(workdir):
    from PIL import Image, ImageDraw, ImageFont
    path = DEJAVU
    if not os.path.exists(path):
        import matplotlib
        path = os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "fonts", "ttf", "DejaVuSans.ttf")
    labels = _labels(workdir)
    scene = Image.fromarray(_scene_array(workdir))
    fonts = {}
    prepared = []
    for label in labels:
        size = label["size_pt"] * POINTS_TO_PIXELS
        if size not in fonts:
            fonts[size] = ImageFont.truetype(path, size)
        prepared.append((label["text"], label["x"], label["y"], fonts[size], tuple(int(c) for c in label["box"])))

    def run():
        image = scene.copy()
        draw = ImageDraw.Draw(image)
        for text, x, y, font, box in prepared:
            left, top, right, bottom = draw.textbbox((x, y), text, font=font)
            draw.rectangle((left - 1, top - 1, right + 1, bottom + 1), fill=box)
            draw.text((x, y), text, font=font, fill=(255, 255, 255))
    return run


WORKLOADS = {
    "draw.text_labels.bg.1000": {
        "opencv": opencv_labels,
        "opencv_alpha_box": opencv_alpha_labels,
        "pillow": pillow_labels,
    },
}
