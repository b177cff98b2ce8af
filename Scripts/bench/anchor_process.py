"""Anchors for the whole-process `vis` workloads: what a Python user runs in a process that is already up."""
import os


def opencv_read_write(workdir):
    """OpenCV's `imread` + `imwrite` (default PNG settings) of the scene, inside this process."""
    import cv2
    source = os.path.join(workdir, "scene-1333x800.png")
    target = os.path.join(workdir, "opencv-convert-out.png")

    def run():
        cv2.imwrite(target, cv2.imread(source, cv2.IMREAD_UNCHANGED))
    return run


WORKLOADS = {
    "process.vis_convert.png.1333x800": {"opencv-in-process": opencv_read_write},
}
