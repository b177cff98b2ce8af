"""Anchors for VisCore array workloads: .npy reading with NumPy, bilinear resizing with OpenCV."""
import os


def numpy_load(workdir):
    import numpy as np
    path = os.path.join(workdir, "featmap-256x50x84.npy")
    if not os.path.exists(path):  # vis-bench writes it; make an equivalent one when run alone
        np.save(path, np.random.default_rng(0).standard_normal((256, 50, 84)).astype(np.float32))

    def run():
        np.load(path)
    return run


def opencv_resize(workdir):
    import cv2
    image = cv2.imread(os.path.join(workdir, "scene-1333x800.png"), cv2.IMREAD_COLOR)
    if image is None:
        raise FileNotFoundError("scene-1333x800.png")

    def run():
        cv2.resize(image, (667, 400), interpolation=cv2.INTER_LINEAR)
    return run


WORKLOADS = {
    "npy.read.float32.256x50x84": {"numpy": numpy_load},
    "resize.bilinear.rgb.1333x800to667x400": {"opencv": opencv_resize},
}
