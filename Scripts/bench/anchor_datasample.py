"""Anchor for the Visualization data-sample workload: MMDetection-style drawing through MMEngine's Visualizer.

MMDetection's ``DetLocalVisualizer._draw_instances`` (mmdet 3.x) is reproduced here without importing mmdet: the
boxes with ``draw_bboxes`` in class colours (alpha 0.8, width 3), one ``draw_texts`` per box with the class name
and ``round(score * 100, 1)`` at ``bbox[:2] + line_width`` on mmdet's label box (black, alpha 0.8, pad 0.7, no
edge) sized ``int(13 * _get_adaptive_scales(area))``, then ``draw_binary_masks`` for the masks, ``get_image`` and
``LocalVisBackend.add_image`` (which writes the PNG on the caller's thread). It reads the sample vis-bench wrote:
``datasample-detection.json`` (boxes, labels, scores) and ``datasample-masks.npy`` (the 20 masks, bool).

Differences from the Swift workload: mmdet draws white mask contours with ``draw_polygons`` after
``cv2.findContours``; the Swift visualizer draws 1-pixel outlines as a second mask blend. Neither is in the other.
"""
import json
import os
import tempfile

# MMDetection's CocoDataset palette (the Swift workload uses ColorPalette.coco, the same table).
COCO_PALETTE = [
    (220, 20, 60), (119, 11, 32), (0, 0, 142), (0, 0, 230), (106, 0, 228), (0, 60, 100), (0, 80, 100),
    (0, 0, 70), (0, 0, 192), (250, 170, 30), (100, 170, 30), (220, 220, 0), (175, 116, 175), (250, 0, 30),
    (165, 42, 42), (255, 77, 255), (0, 226, 252), (182, 182, 255), (0, 82, 0), (120, 166, 157),
    (110, 76, 0), (174, 57, 255), (199, 100, 0), (72, 0, 118), (255, 179, 240), (0, 125, 92),
    (209, 0, 151), (188, 208, 182), (0, 220, 176), (255, 99, 164), (92, 0, 73), (133, 129, 255),
    (78, 180, 255), (0, 228, 0), (174, 255, 243), (45, 89, 255), (134, 134, 103), (145, 148, 174),
    (255, 208, 186), (197, 226, 255), (171, 134, 1), (109, 63, 54), (207, 138, 255), (151, 0, 95),
    (9, 80, 61), (84, 105, 51), (74, 65, 105), (166, 196, 102), (208, 195, 210), (255, 109, 65),
    (0, 143, 149), (179, 0, 194), (209, 99, 106), (5, 121, 0), (227, 255, 205), (147, 186, 208),
    (153, 69, 1), (3, 95, 161), (163, 255, 0), (119, 0, 170), (0, 182, 199), (0, 165, 120),
    (183, 130, 88), (95, 32, 0), (130, 114, 135), (110, 129, 133), (166, 74, 118), (219, 142, 185),
    (79, 210, 114), (178, 90, 62), (65, 70, 15), (127, 167, 115), (59, 105, 106), (142, 108, 45),
    (196, 172, 0), (95, 54, 80), (128, 76, 255), (201, 57, 1), (246, 0, 122), (191, 162, 208),
]


def _adaptive_scales(areas, min_area=800, max_area=30000):
    import numpy as np
    return np.clip(0.5 + (areas - min_area) / (max_area - min_area), 0.5, 1.0)


def mmengine_detection(workdir):
    import numpy as np
    from PIL import Image
    from mmengine.visualization import Visualizer
    scene = np.asarray(Image.open(os.path.join(workdir, "scene-1333x800.png")).convert("RGB"))
    with open(os.path.join(workdir, "datasample-detection.json")) as handle:
        sample = json.load(handle)
    masks = np.load(os.path.join(workdir, "datasample-masks.npy"))
    bboxes = np.array(sample["boxes"], dtype=np.float64)
    labels = sample["labels"]
    scores = sample["scores"]
    classes = [f"class_{index}" for index in range(80)]
    line_width = 3
    visualizer = Visualizer(
        name="anchor-datasample", vis_backends=[dict(type="LocalVisBackend")],
        save_dir=tempfile.mkdtemp(prefix="mmengine-datasample-", dir=workdir))
    state = {"step": 0}

    def run():
        state["step"] += 1
        visualizer.set_image(scene)
        colors = [COCO_PALETTE[label] for label in labels]
        visualizer.draw_bboxes(bboxes, edge_colors=colors, alpha=0.8, line_widths=line_width)
        positions = bboxes[:, :2] + line_width
        areas = (bboxes[:, 3] - bboxes[:, 1]) * (bboxes[:, 2] - bboxes[:, 0])
        scales = _adaptive_scales(areas)
        for index, (position, label) in enumerate(zip(positions, labels)):
            text = f"{classes[label]}: {round(float(scores[index]) * 100, 1)}"
            visualizer.draw_texts(
                text, position, colors=(200, 200, 200), font_sizes=int(13 * scales[index]),
                bboxes=[{"facecolor": "black", "alpha": 0.8, "pad": 0.7, "edgecolor": "none"}])
        visualizer.draw_binary_masks(masks, colors=[COCO_PALETTE[label] for label in labels[:len(masks)]], alphas=0.8)
        drawn = visualizer.get_image()
        visualizer.add_image("detection", drawn, state["step"])
    return run


WORKLOADS = {
    "datasample.detection.100boxes_20masks.1333x800": {"mmengine": mmengine_detection},
}
