"""Writes the seed corpora of the fuzz harnesses into Fuzz/Corpus/<format>/ (small valid files of every kind the
tests make). Run once with the interop venv's Python and a built `vis` (for our own TensorBoard and W&B files):

    .venv-ci/bin/python Fuzz/make_seeds.py .build/debug/vis
"""
import io
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

here = os.path.dirname(os.path.abspath(__file__))
vis = sys.argv[1]


def put(fmt, name, data):
    folder = os.path.join(here, "Corpus", fmt)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def pillow(img, fmt, **kw):
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


rng = np.random.default_rng(0)
rgb = Image.fromarray(rng.integers(0, 255, (6, 5, 3), dtype=np.uint8))
put("png", "rgb.png", pillow(rgb, "PNG"))
put("png", "gray.png", pillow(rgb.convert("L"), "PNG"))
put("png", "rgba.png", pillow(rgb.convert("RGBA"), "PNG"))
put("png", "palette.png", pillow(rgb.convert("P"), "PNG"))
put("png", "gray16.png", pillow(Image.fromarray((rng.integers(0, 65535, (4, 3))).astype(np.uint16)), "PNG"))
put("png", "bilevel.png", pillow(rgb.convert("1"), "PNG"))
put("png", "gray_alpha.png", pillow(rgb.convert("LA"), "PNG"))
put("jpeg", "rgb.jpg", pillow(rgb, "JPEG", quality=90))
put("jpeg", "gray.jpg", pillow(rgb.convert("L"), "JPEG"))
put("jpeg", "progressive.jpg", pillow(rgb, "JPEG", progressive=True))
put("jpeg", "cmyk.jpg", pillow(rgb.convert("CMYK"), "JPEG"))
put("jpeg", "subsampled.jpg", pillow(rgb.resize((17, 9)), "JPEG", subsampling=2, quality=50))


def npy(array):
    out = io.BytesIO()
    np.save(out, array)
    return out.getvalue()


for name, array in {
    "f32.npy": np.arange(6, dtype="<f4").reshape(2, 3),
    "f64_fortran.npy": np.asfortranarray(np.arange(6, dtype="<f8").reshape(2, 3)),
    "u8.npy": np.arange(4, dtype=np.uint8),
    "bool.npy": np.array([[True, False]]),
    "i64_be.npy": np.arange(3, dtype=">i8"),
    "scalar.npy": np.array(3.5),
    "f16.npy": np.ones((1, 2, 2), dtype=np.float16),
    "empty.npy": np.zeros((0, 3), dtype=np.int32),
}.items():
    put("npy", name, npy(array))
for name, compressed in [("stored.npz", False), ("deflated.npz", True)]:
    out = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(out, boxes=np.arange(8, dtype=np.float32).reshape(2, 4),
                                                       masks=np.zeros((1, 2, 3), dtype=bool))
    put("npz", name, out.getvalue())

config = {"visualizer": {"type": "Visualizer", "vis_backends": [{"type": "LocalVisBackend"},
          {"type": "TensorboardVisBackend", "save_dir": "tb"}], "name": "v", "alpha": 0.8},
          "train_cfg": {"max_epochs": 12, "val_interval": 1}, "lr": 1e-3, "flag": None, "ok": True}
put("config-json", "config.json", json.dumps(config, indent=4))
put("config-json", "escapes.json", '{"s": "tab\\t\\u00e9\\ud83d\\ude00", "n": [-1.5e-3, 0, 18446744073709551616]}')
put("config-yaml", "config.yaml", """visualizer:
  type: Visualizer
  vis_backends:
  - type: LocalVisBackend
  - {type: WandbVisBackend, init_kwargs: {project: p}}
  alpha: 0.8
lr: 1.0e-3
anchors: &a [1, 2]
copy: *a
text: |
  two
  lines
flag: ~
ok: yes
""")

put("draw-ops", "ops.json", """[{"op": "draw_bboxes", "bboxes": [[1, 1, 20, 14]], "edge_colors": "r", "line_widths": 3,
  "face_colors": [0, 0, 255], "alpha": 1},
 {"op": "draw_circles", "center": [[5, 5]], "radius": [3], "face_colors": "g", "line_styles": "--"},
 {"op": "draw_lines", "x_datas": [[0, 10], [5, 20]], "y_datas": [[0, 5], [2, 8]], "colors": "#ff8000"},
 {"op": "draw_points", "positions": [[3, 4], [8, 9]], "colors": "b", "marker": "o", "sizes": [4, 6]},
 {"op": "draw_polygons", "polygons": [[[1, 1], [9, 2], [4, 8]]], "edge_colors": "none"},
 {"op": "draw_texts", "texts": ["cat"], "positions": [[2, 2]], "font_sizes": 8, "colors": "w",
  "vertical_alignments": "top", "bboxes": [{"facecolor": "black", "alpha": 0.5, "pad": 1}]}]
""")

put("draw-ops", "lists.json", """[{"op": "draw_lines", "x_datas": [[0, 3], [1, 2]], "y_datas": [[0, 2], [2, 0]], "colors": ["r", "b"],
  "line_styles": "-.", "line_widths": [1, 2]},
 {"op": "draw_bboxes", "bboxes": [[0, 0, 3, 2], [1, 1, 4, 3]], "edge_colors": ["r", [0, 128, 255]],
  "line_styles": ["-", ":"], "line_widths": [1, 2.5], "face_colors": ["none", "#00ff00"]},
 {"op": "draw_texts", "texts": "dog", "positions": [[1, 1]], "horizontal_alignments": "center",
  "font_families": "monospace", "bboxes": {"fc": "white", "ec": "red", "lw": 1, "boxstyle": "square"}},
 {"op": "draw_points", "positions": [[1, 2]], "marker": "s", "sizes": 9, "colors": [[10, 20, 30]]}]
""")

put("datasample", "sample.json", """{"metainfo": {"img_path": "demo.jpg", "img_shape": [4, 6, 3], "scale": 1.5},
 "gt_instances": {"bboxes": [[0, 1, 2, 3]], "labels": [1],
                  "masks": [[[0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]]],
                  "polygons": [[[0, 0, 4, 0, 4, 3]]]},
 "pred_instances": {"bboxes": [[0.5, 1.5, 2.5, 3.5], [1, 1, 2, 2]], "labels": [0, 1], "scores": [0.9, 0.2],
                    "keypoints": [[[1, 2], [3, 4]], [[0, 0], [5, 3]]],
                    "keypoints_visible": [[1, 0], [1, 1]], "keypoint_scores": [[0.9, 0.1], [0.5, 0.6]]},
 "gt_sem_seg": [[0, 0, 1, 1, 2, 255], [0, 0, 1, 1, 2, 255], [0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]],
 "gt_label": 2, "pred_label": [2, 0], "pred_score": [0.1, 0.2, 0.7]}
""")

put("runlog", "scalars.json", "".join(
    json.dumps({"loss": 1.0 / (s + 1), "lr": 0.02, "acc": s / 10, "step": s + 1}) + "\n" for s in range(4)))
put("runlog", "runner.json", "".join([
    json.dumps({"lr": 0.02, "data_time": 0.01, "loss": 2.3, "time": 0.2, "epoch": 1, "iter": 10, "memory": 512,
                "step": 10}) + "\n",
    json.dumps({"accuracy/top1": 41.5, "data_time": 0.01, "time": 0.1, "step": 1}) + "\n"]))

# TensorBoard: PyTorch's writer (scalars, histogram, text) and ours (the demo's scalars, images and config).
from torch.utils.tensorboard import SummaryWriter  # noqa: E402

with tempfile.TemporaryDirectory() as tmp:
    writer = SummaryWriter(os.path.join(tmp, "torch"))
    for step in range(3):
        writer.add_scalar("loss", 1.0 / (step + 1), step)
    writer.add_text("config", "lr: 0.1", 0)
    writer.add_histogram("w", np.arange(5.0), 0)
    writer.close()
    for root, _, files in os.walk(os.path.join(tmp, "torch")):
        for name in files:
            put("tensorboard", "torch.tfevents", open(os.path.join(root, name), "rb").read())
    subprocess.run([vis, "demo", "--out", os.path.join(tmp, "demo"), "--steps", "3"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for root, _, files in os.walk(os.path.join(tmp, "demo")):
        for name in files:
            path = os.path.join(root, name)
            if name.startswith("events.out.tfevents"):
                # Only the scalar and text records: the images make the file a megabyte.
                data = open(path, "rb").read()
                records, offset = [], 0
                while offset + 12 <= len(data):
                    length = int.from_bytes(data[offset:offset + 8], "little")
                    end = offset + 12 + length + 4
                    if length < 4096:
                        records.append(data[offset:end])
                    offset = end
                put("tensorboard", "ours.tfevents", b"".join(records))
            elif name.endswith(".wandb"):
                put("wandb", "ours.wandb", open(path, "rb").read())

# Fonts: the test fonts cut down to the glyphs the harness asks for (kerning and hinting kept), TrueType and OTF.
from fontTools import subset  # noqa: E402
from fontTools.ttLib import TTFont  # noqa: E402

fonts = os.path.join(here, "..", "Tests", "VisTestSupport", "Fonts")
for source, name, flavor in [("DejaVuSans.ttf", "dejavu-subset.ttf", None), ("DejaVuSans.ttf", "dejavu-subset.woff", "woff")]:
    font = TTFont(os.path.join(fonts, source))
    options = subset.Options()
    options.flavor = flavor
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="Ag 1.")
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = flavor
    font.save(out)
    put("font", name, out.getvalue())
with open(os.path.join(fonts, "WQYMicroHei-TestSubset.ttc"), "rb") as f:
    put("font", "wqy-subset.ttc", f.read())
