"""Anchors for the TensorBoard writer: tensorboardX's and torch's SummaryWriter doing the same work."""
import os
import tempfile


def _scalars(make_writer):
    def factory(workdir):
        writer = make_writer(tempfile.mkdtemp(dir=workdir))

        def run():
            for step in range(100000):
                writer.add_scalar("train/loss", step * 0.001, step)
            writer.flush()
        return run
    return factory


def _image(make_writer):
    def factory(workdir):
        import numpy as np
        from PIL import Image
        scene = np.asarray(Image.open(os.path.join(workdir, "scene-1333x800.png")).convert("RGB"))
        writer = make_writer(tempfile.mkdtemp(dir=workdir))

        def run():
            writer.add_image("scene", scene, 0, dataformats="HWC")
            writer.flush()
        return run
    return factory


def tensorboardx_writer(logdir):
    from tensorboardX import SummaryWriter
    return SummaryWriter(logdir)


def torch_writer(logdir):
    from torch.utils.tensorboard import SummaryWriter
    return SummaryWriter(logdir)


WORKLOADS = {
    "tensorboard.add_scalar.100000": {"tensorboardX": _scalars(tensorboardx_writer), "torch": _scalars(torch_writer)},
    "tensorboard.add_image.1333x800": {"tensorboardX": _image(tensorboardx_writer), "torch": _image(torch_writer)},
}
