"""Anchors for VisBackends workloads: MMEngine's LocalVisBackend doing the same work.

MMEngine's add_scalar opens scalars.json, appends one json.dump'ed line and closes the file on the caller's
thread; add_image converts RGB->BGR and cv2.imwrite's the PNG on the caller's thread, so its caller time is its
total time.

``mmengine`` needs torch (``mmengine.visualization`` imports it). Where torch is not installed the ``mmengine``
anchor reports that, and ``mmengine-io`` stands in: the same file operations MMEngine 0.10.7's LocalVisBackend
performs per call (``open(path, 'a+')``, ``json.dump``, ``write('\n')``, close; ``cv2.cvtColor`` + ``cv2.imwrite``),
without its tensor checks and decorator, so it slightly flatters MMEngine.
"""
import json
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


class _MMEngineIO:
    """MMEngine 0.10.7 LocalVisBackend's per-call file operations."""

    def __init__(self, workdir, label):
        self.save_dir = tempfile.mkdtemp(prefix=f"mmengine-io-{label}-", dir=workdir)
        self.scalar_path = os.path.join(self.save_dir, "scalars.json")
        self.img_dir = os.path.join(self.save_dir, "vis_image")

    def add_scalar(self, name, value, step=0):
        with open(self.scalar_path, "a+") as f:
            json.dump({name: value, "step": step}, f)
            f.write("\n")

    def add_image(self, name, image, step=0):
        import cv2
        drawn_image = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        os.makedirs(self.img_dir, exist_ok=True)
        cv2.imwrite(os.path.join(self.img_dir, f"{name}_{step}.png"), drawn_image)


def _add_scalar_10k(make_backend):
    def factory(workdir):
        backend = make_backend(workdir, "scalars-10k")

        def run():
            for step in range(10_000):
                backend.add_scalar("loss", 1.0 / (step + 1), step=step)
        return run
    return factory


def _add_scalar_call(make_backend):
    def factory(workdir):
        backend = make_backend(workdir, "scalars-call")
        steps = _Steps()

        def run():
            backend.add_scalar("loss", 0.25, step=steps.next())
        return run
    return factory


def _add_image(make_backend):
    def factory(workdir):
        backend = make_backend(workdir, "image")
        image = _scene(workdir)
        steps = _Steps()

        def run():
            backend.add_image("scene", image, step=steps.next())
        return run
    return factory


ANCHORS = {"mmengine": _backend, "mmengine-io": _MMEngineIO}

WORKLOADS = {
    "backends.local.add_scalar.10k": {name: _add_scalar_10k(make) for name, make in ANCHORS.items()},
    "backends.local.add_scalar.call": {name: _add_scalar_call(make) for name, make in ANCHORS.items()},
    "backends.local.add_image.1333x800.total": {name: _add_image(make) for name, make in ANCHORS.items()},
    "backends.local.add_image.1333x800.caller": {name: _add_image(make) for name, make in ANCHORS.items()},
}
