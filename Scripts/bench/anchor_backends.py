"""Anchors for VisBackends workloads: MMEngine's LocalVisBackend doing the same work.

MMEngine's add_scalar opens scalars.json, appends one json.dump'ed line and closes the file on the caller's
thread; add_image converts RGB->BGR and cv2.imwrite's the PNG on the caller's thread, so its caller time is its
total time.
"""
import os
import tempfile


def _backend(workdir, label):
    from mmengine.visualization import LocalVisBackend
    return LocalVisBackend(save_dir=tempfile.mkdtemp(prefix=f"mmengine-{label}-", dir=workdir))


def _scene(workdir):
    import numpy as np
    from PIL import Image
    return np.asarray(Image.open(os.path.join(workdir, "scene-1333x800.png")).convert("RGB"))


class _Steps:
    def __init__(self):
        self.value = 0

    def next(self):
        self.value += 1
        return self.value


def mmengine_add_scalar_10k(workdir):
    backend = _backend(workdir, "scalars-10k")

    def run():
        for step in range(10_000):
            backend.add_scalar("loss", 1.0 / (step + 1), step=step)
    return run


def mmengine_add_scalar_call(workdir):
    backend = _backend(workdir, "scalars-call")
    steps = _Steps()

    def run():
        backend.add_scalar("loss", 0.25, step=steps.next())
    return run


def mmengine_add_image(workdir):
    backend = _backend(workdir, "image")
    image = _scene(workdir)
    steps = _Steps()

    def run():
        backend.add_image("scene", image, step=steps.next())
    return run


WORKLOADS = {
    "backends.local.add_scalar.10k": {"mmengine": mmengine_add_scalar_10k},
    "backends.local.add_scalar.call": {"mmengine": mmengine_add_scalar_call},
    "backends.local.add_image.1333x800.total": {"mmengine": mmengine_add_image},
    "backends.local.add_image.1333x800.caller": {"mmengine": mmengine_add_image},
}
