"""Anchor for the Visualization data-sample workload: MMDetection-style drawing through MMEngine's Visualizer.

MMDetection's ``DetLocalVisualizer._draw_instances`` (mmdet 3.x) is reproduced here without importing mmdet: the
boxes with ``draw_bboxes`` in class colours (alpha 0.8, width 3), one ``draw_texts`` per box with the class name
and ``round(score * 100, 1)`` at ``bbox[:2] + line_width`` on mmdet's label box (black, alpha 0.8, pad 0.7, no
edge) sized ``int(13 * _get_adaptive_scales(area))``, then ``draw_binary_masks`` for the masks, ``get_image`` and
``LocalVisBackend.add_image`` (which writes the PNG on the caller's thread). It reads the sample vis-bench wrote:
``datasample-detection.json`` (boxes, labels, scores, the COCO palette) and ``datasample-masks.npy`` (one mask per
instance, 100×800×1333 bool; the last 80 are empty).

Both sides do the same mask work. mmdet would blend all 100 planes, the empty ones as no-ops; both sides instead
skip the empty ones (the Swift visualizer finds them with a byte scan, this anchor with ``any``) and draw the 20
others, each with its white contour: here mmdet's ``bitmap_to_polygon`` (``cv2.findContours``) and
``draw_polygons(edge_colors='w', alpha=0.8)``, in Swift a blended 1-pixel outline. mmdet draws contours and masks
after the labels, the Swift visualizer before them. Colours are not jittered on either side.
"""
import json
import os
import tempfile



def _adaptive_scales(areas, min_area=800, max_area=30000):
    import numpy as np
    return np.clip(0.5 + (areas - min_area) / (max_area - min_area), 0.5, 1.0)


def mmengine_detection(workdir):
    import cv2
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
    palette = [tuple(color) for color in sample["palette"]]
    classes = [f"class_{index}" for index in range(80)]
    line_width = 3
    visualizer = Visualizer(
        name="anchor-datasample", vis_backends=[dict(type="LocalVisBackend")],
        save_dir=tempfile.mkdtemp(prefix="mmengine-datasample-", dir=workdir))
    state = {"step": 0}

    def run():
        state["step"] += 1
        visualizer.set_image(scene)
        colors = [palette[label] for label in labels]
        visualizer.draw_bboxes(bboxes, edge_colors=colors, alpha=0.8, line_widths=line_width)
        positions = bboxes[:, :2] + line_width
        areas = (bboxes[:, 3] - bboxes[:, 1]) * (bboxes[:, 2] - bboxes[:, 0])
        scales = _adaptive_scales(areas)
        for index, (position, label) in enumerate(zip(positions, labels)):
            text = f"{classes[label]}: {round(float(scores[index]) * 100, 1)}"
            visualizer.draw_texts(
                text, position, colors=(200, 200, 200), font_sizes=int(13 * scales[index]),
                bboxes=[{"facecolor": "black", "alpha": 0.8, "pad": 0.7, "edgecolor": "none"}])
        nonempty = np.flatnonzero(masks.reshape(len(masks), -1).any(axis=1))
        polygons = []
        for index in nonempty:
            contours, _ = cv2.findContours(masks[index].astype(np.uint8), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
            polygons.extend(contour.reshape(-1, 2) for contour in contours)
        visualizer.draw_polygons(polygons, edge_colors="w", alpha=0.8)
        visualizer.draw_binary_masks(
            masks[nonempty], colors=[palette[labels[index]] for index in nonempty], alphas=0.8)
        drawn = visualizer.get_image()
        visualizer.add_image("detection", drawn, state["step"])
    return run


WORKLOADS = {
    "datasample.detection.100boxes_20masks.1333x800": {"mmengine": mmengine_detection},
}
