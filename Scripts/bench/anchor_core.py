"""Anchors for VisCore workloads: PNG encode/decode with Pillow and OpenCV."""
import io
import os


def _scene(workdir):
    from PIL import Image
    return Image.open(os.path.join(workdir, "scene-1333x800.png")).convert("RGB")


def pillow_encode(workdir):
    image = _scene(workdir)

    def run():
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", compress_level=6)
    return run


def pillow_decode(workdir):
    from PIL import Image
    data = open(os.path.join(workdir, "scene-1333x800.png"), "rb").read()

    def run():
        Image.open(io.BytesIO(data)).load()
    return run


def opencv_encode(workdir):
    import cv2
    import numpy as np
    array = np.asarray(_scene(workdir))[:, :, ::-1].copy()

    def run():
        cv2.imencode(".png", array, [cv2.IMWRITE_PNG_COMPRESSION, 6])
    return run


def opencv_decode(workdir):
    import cv2
    import numpy as np
    data = np.frombuffer(open(os.path.join(workdir, "scene-1333x800.png"), "rb").read(), np.uint8)

    def run():
        cv2.imdecode(data, cv2.IMREAD_COLOR)
    return run


WORKLOADS = {
    "png.encode.rgb.1333x800": {"pillow": pillow_encode, "opencv": opencv_encode},
    "png.decode.rgb.1333x800": {"pillow": pillow_decode, "opencv": opencv_decode},
}
