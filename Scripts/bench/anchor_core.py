"""Anchors for VisCore workloads: PNG and JPEG encode/decode with Pillow and OpenCV."""
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
    """OpenCV's default PNG settings (what MMEngine's LocalVisBackend gets from cv2.imwrite)."""
    import cv2
    import numpy as np
    array = np.asarray(_scene(workdir))[:, :, ::-1].copy()

    def run():
        cv2.imencode(".png", array)
    return run


def opencv_encode_level6(workdir):
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


def _scene_jpeg(workdir):
    """The scene as a quality-95 JPEG (Pillow's default 4:2:0 subsampling, like ours and OpenCV's)."""
    buffer = io.BytesIO()
    _scene(workdir).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def pillow_jpeg_encode(workdir):
    image = _scene(workdir)

    def run():
        image.save(io.BytesIO(), format="JPEG", quality=95)
    return run


def pillow_jpeg_decode(workdir):
    from PIL import Image
    data = _scene_jpeg(workdir)

    def run():
        Image.open(io.BytesIO(data)).load()
    return run


def opencv_jpeg_encode(workdir):
    import cv2
    import numpy as np
    array = np.asarray(_scene(workdir))[:, :, ::-1].copy()

    def run():
        cv2.imencode(".jpg", array, [cv2.IMWRITE_JPEG_QUALITY, 95])
    return run


def opencv_jpeg_decode(workdir):
    import cv2
    import numpy as np
    data = np.frombuffer(_scene_jpeg(workdir), np.uint8)

    def run():
        cv2.imdecode(data, cv2.IMREAD_COLOR)
    return run


WORKLOADS = {
    "png.encode.rgb.1333x800": {"opencv-default": opencv_encode, "pillow": pillow_encode},
    "png.encode.level6.rgb.1333x800": {"pillow": pillow_encode, "opencv": opencv_encode_level6},
    "png.decode.rgb.1333x800": {"pillow": pillow_decode, "opencv": opencv_decode},
    "jpeg.encode.rgb.1333x800": {"pillow": pillow_jpeg_encode, "opencv": opencv_jpeg_encode},
    "jpeg.decode.rgb.1333x800": {"pillow": pillow_jpeg_decode, "opencv": opencv_jpeg_decode},
}
