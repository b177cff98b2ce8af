"""Anchors for the featmap workloads: MMEngine's ``Visualizer.draw_featmap`` on the same map and scene.

The map is the seeded 256x50x84 float32 array the Swift workload saves as ``featmap-bench-256x50x84.npy``; the
image is the bench scene (800x1333 RGB). Warnings (the size mismatch MMEngine always reports here) are silenced.
"""
import os
import warnings


def _inputs(workdir):
    import numpy as np
    import torch
    from PIL import Image
    featmap = torch.from_numpy(np.load(os.path.join(workdir, "featmap-bench-256x50x84.npy")))
    scene = np.asarray(Image.open(os.path.join(workdir, "scene-1333x800.png")).convert("RGB"))
    return featmap, scene


def _mmengine(**kwargs):
    def factory(workdir):
        import matplotlib
        matplotlib.use("Agg")
        from mmengine.visualization import Visualizer
        featmap, scene = _inputs(workdir)

        def run():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                Visualizer.draw_featmap(featmap, scene, **kwargs)
        return run
    return factory


WORKLOADS = {
    "featmap.squeeze_mean.256x50x84.over800x1333": {"mmengine": _mmengine(channel_reduction="squeeze_mean")},
    "featmap.select_max.256x50x84.over800x1333": {"mmengine": _mmengine(channel_reduction="select_max")},
    "featmap.topk20.256x50x84.over800x1333": {"mmengine": _mmengine(channel_reduction=None, topk=20)},
}
