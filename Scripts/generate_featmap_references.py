#!/usr/bin/env python3
"""Generate MMEngine reference outputs of ``Visualizer.draw_featmap`` for the Swift parity tests.

Needs mmengine 0.10.7, torch, numpy, opencv and matplotlib (e.g. the bench venv made by Scripts/bench-venv.sh):

    python Scripts/generate_featmap_references.py [OUTPUT_DIR]

OUTPUT_DIR defaults to Tests/VisualizationTests/FeatmapReferences. It writes small seeded inputs (``.npy`` feature
maps, ``.png`` images), MMEngine's outputs (``.png``), torch's channel means (``.npy``, to check the summation order
to the bit), and ``manifest.json`` describing every case; FeatmapParityTests.swift reads the manifest. The inputs
are regenerated from fixed seeds, so rerunning rewrites identical files (PNG bytes may differ with the encoder's
version; the pixels do not).
"""
import json
import os
import sys
import warnings

import numpy as np


def smooth_image(seed, height, width):
    """A photo-like RGB image: gradients, a checker and a little noise (compresses better than noise)."""
    rng = np.random.RandomState(seed)
    y, x = np.mgrid[0:height, 0:width]
    image = np.stack([
        x * 255.0 / max(width - 1, 1),
        y * 255.0 / max(height - 1, 1),
        ((x // 8 + y // 8) % 2) * 120.0 + 60.0,
    ], axis=-1)
    image += rng.randint(-12, 13, size=image.shape)
    return np.clip(image, 0, 255).astype(np.uint8)


def featmap(seed, shape, dtype=np.float32):
    """A seeded map with structure (blobs whose strength varies by channel) plus noise, like activations."""
    rng = np.random.RandomState(seed)
    channels, height, width = shape
    y, x = np.mgrid[0:height, 0:width]
    maps = []
    for _ in range(channels):
        cy, cx = rng.uniform(0, height), rng.uniform(0, width)
        sigma = rng.uniform(1.5, max(height, width) / 2)
        blob = np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * sigma ** 2)) * rng.uniform(0.5, 4.0)
        maps.append(blob + rng.normal(0, 0.3, size=(height, width)) + rng.uniform(-1, 1))
    return np.stack(maps).astype(dtype)


def main():
    import cv2
    import torch
    import mmengine
    from mmengine.visualization import Visualizer

    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "Tests", "VisualizationTests", "FeatmapReferences")
    os.makedirs(out_dir, exist_ok=True)

    def save_png(name, rgb):
        cv2.imwrite(os.path.join(out_dir, name), np.ascontiguousarray(rgb[..., ::-1]))

    inputs = {
        "feat_8x12x16.npy": featmap(1, (8, 12, 16)),
        "feat_3x12x16.npy": featmap(2, (3, 12, 16)),
        "feat_6x10x14_f64.npy": featmap(3, (6, 10, 14), np.float64),
        "feat_20x9x11.npy": featmap(4, (20, 9, 11)),
        "feat_40x7x9_f64.npy": featmap(5, (40, 7, 9), np.float64),
    }
    for name, array in inputs.items():
        np.save(os.path.join(out_dir, name), array)
    images = {
        "image_48x64.png": smooth_image(10, 48, 64),
        "image_30x26.png": smooth_image(11, 30, 26),
    }
    for name, image in images.items():
        save_png(name, image)
    gray_name = "image_gray_40x50.png"
    gray = smooth_image(12, 40, 50)[..., 0]
    cv2.imwrite(os.path.join(out_dir, gray_name), gray)
    images[gray_name] = gray

    cases = [
        # name, featmap, image, channel_reduction, topk, arrangement, resize_shape, alpha
        ("squeeze_mean_plain", "feat_8x12x16.npy", None, "squeeze_mean", 20, (4, 5), None, 0.5),
        ("squeeze_mean_over_image", "feat_8x12x16.npy", "image_48x64.png", "squeeze_mean", 20, (4, 5), None, 0.5),
        ("squeeze_mean_over_smaller_image", "feat_8x12x16.npy", "image_30x26.png", "squeeze_mean", 20, (4, 5), None,
         0.3),
        ("squeeze_mean_over_gray", "feat_8x12x16.npy", gray_name, "squeeze_mean", 20, (4, 5), None, 0.5),
        ("squeeze_mean_f64_over_image", "feat_6x10x14_f64.npy", "image_48x64.png", "squeeze_mean", 20, (4, 5), None,
         0.5),
        ("squeeze_mean_40ch_over_image", "feat_40x7x9_f64.npy", "image_30x26.png", "squeeze_mean", 20, (4, 5), None,
         0.5),
        ("squeeze_mean_20ch_over_image", "feat_20x9x11.npy", "image_48x64.png", "squeeze_mean", 20, (4, 5), None,
         0.5),
        ("select_max_plain", "feat_8x12x16.npy", None, "select_max", 20, (4, 5), None, 0.5),
        ("select_max_over_image", "feat_8x12x16.npy", "image_48x64.png", "select_max", 20, (4, 5), None, 0.5),
        ("select_max_over_smaller_image", "feat_8x12x16.npy", "image_30x26.png", "select_max", 20, (4, 5), None, 0.7),
        ("resize_plain", "feat_8x12x16.npy", None, "squeeze_mean", 20, (4, 5), (33, 21), 0.5),
        ("resize_over_image", "feat_8x12x16.npy", "image_48x64.png", "squeeze_mean", 20, (4, 5), (20, 30), 0.5),
        ("resize_select_max_over_image", "feat_8x12x16.npy", "image_30x26.png", "select_max", 20, (4, 5), (40, 36),
         0.5),
        ("topk_grid_over_image", "feat_8x12x16.npy", "image_48x64.png", None, 5, (2, 3), None, 0.5),
        ("topk_grid_resized", "feat_8x12x16.npy", None, None, 4, (2, 2), (36, 70), 0.5),
        ("none_3ch_plain", "feat_3x12x16.npy", None, None, 0, (4, 5), None, 0.5),
        ("none_3ch_over_image", "feat_3x12x16.npy", "image_48x64.png", None, 0, (4, 5), None, 0.5),
    ]
    manifest = {
        "generator": "Scripts/generate_featmap_references.py",
        "mmengine": mmengine.__version__,
        "torch": torch.__version__.split("+")[0],
        "opencv": cv2.__version__,
        "cases": [],
        "torch_means": [],
        "torch_resizes": [],
    }
    for name, feat_name, image_name, reduction, topk, arrangement, resize_shape, alpha in cases:
        feat = torch.from_numpy(inputs[feat_name])
        image = None
        if image_name is not None:
            image = images[image_name]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            drawn = Visualizer.draw_featmap(
                feat, image, channel_reduction=reduction, topk=topk, arrangement=arrangement,
                resize_shape=resize_shape, alpha=alpha)
        output = f"{name}.png"
        save_png(output, drawn)
        entry = {
            "name": name, "featmap": feat_name, "image": image_name, "channel_reduction": reduction, "topk": topk,
            "arrangement": list(arrangement), "resize_shape": list(resize_shape) if resize_shape else None,
            "alpha": alpha, "output": output, "height": int(drawn.shape[0]), "width": int(drawn.shape[1]),
            "warned": any("interpolated" in str(w.message) for w in caught),
        }
        if reduction is None and topk > 0:
            # The channels drawn, in order, so the test can check the ranking and the label texts.
            sums = torch.sum(feat if resize_shape is None and image is None else torch.nn.functional.interpolate(
                feat[None], resize_shape or image.shape[:2], mode="bilinear", align_corners=False)[0], dim=(1, 2))
            entry["channels"] = [int(i) for i in torch.topk(sums, min(topk, feat.shape[0]))[1]]
        manifest["cases"].append(entry)

    for feat_name in ["feat_20x9x11.npy", "feat_40x7x9_f64.npy", "feat_8x12x16.npy"]:
        mean = torch.mean(torch.from_numpy(inputs[feat_name]), dim=0).numpy()
        mean_name = feat_name.replace("feat_", "torch_mean_")
        np.save(os.path.join(out_dir, mean_name), mean)
        manifest["torch_means"].append({"featmap": feat_name, "mean": mean_name})

    # F.interpolate itself, for both of PyTorch's kernels (channels-last for H'+W' <= 128, generic above), with
    # vector and leftover channels, in float32 and float64.
    for feat_name, size in [("feat_20x9x11.npy", (24, 40)), ("feat_3x12x16.npy", (125, 12)),
                            ("feat_8x12x16.npy", (37, 61)), ("feat_6x10x14_f64.npy", (40, 36)),
                            ("feat_6x10x14_f64.npy", (120, 9))]:
        resized = torch.nn.functional.interpolate(
            torch.from_numpy(inputs[feat_name])[None], size, mode="bilinear", align_corners=False)[0].numpy()
        resized_name = feat_name.replace("feat_", "torch_resize_").replace(".npy", f"_to_{size[0]}x{size[1]}.npy")
        np.save(os.path.join(out_dir, resized_name), resized)
        manifest["torch_resizes"].append({"featmap": feat_name, "size": list(size), "resized": resized_name})

    with open(os.path.join(out_dir, "manifest.json"), "w") as handle:
        json.dump(manifest, handle, indent=1)
        handle.write("\n")
    print(f"wrote {len(manifest['cases'])} cases to {out_dir}")


if __name__ == "__main__":
    main()
