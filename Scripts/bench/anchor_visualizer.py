"""Anchors for the Visualization workloads: a detection result (visualizer-detections.json and visualizer-masks.npy,
written by vis-bench) drawn on the scene by MMEngine's Visualizer (set_image, draw_bboxes, draw_texts with
MMDetection's label boxes, draw_binary_masks, get_image) and by OpenCV doing the same work: anti-aliased
rectangles, labels (cv2.putText, LINE_AA) on black boxes blended at alpha 0.8, and the masks blended with NumPy
at alpha 0.8."""
import json
import os

LABEL_BOX = {"facecolor": "black", "alpha": 0.8, "pad": 0.7, "edgecolor": "none"}
TEXT_COLOR = (200, 200, 200)
POINTS_TO_PIXELS = 100.0 / 72.0


def _inputs(workdir, with_masks):
    import numpy as np
    from PIL import Image
    scene = np.asarray(Image.open(os.path.join(workdir, "scene-1333x800.png")).convert("RGB")).copy()
    with open(os.path.join(workdir, "visualizer-detections.json")) as handle:
        detections = json.load(handle)
    masks = np.load(os.path.join(workdir, "visualizer-masks.npy")) if with_masks else None
    return scene, detections, masks


def mmengine(with_masks):
    def factory(workdir):
        import numpy as np
        from mmengine.visualization import Visualizer
        scene, detections, masks = _inputs(workdir, with_masks)
        boxes = np.array(detections["boxes"], dtype=np.float64)
        colors = [tuple(c) for c in detections["colors"]]
        labels = detections["labels"]
        visualizer = Visualizer(name="bench_" + str(with_masks), image=scene)

        def run():
            visualizer.set_image(scene)
            visualizer.draw_bboxes(boxes, edge_colors=colors, line_widths=detections["lineWidthPoints"])
            visualizer.draw_texts(
                labels, boxes[:, :2], font_sizes=detections["fontSizePoints"], colors=TEXT_COLOR,
                vertical_alignments="bottom", bboxes=LABEL_BOX)
            if masks is not None:
                count = detections["maskCount"]
                visualizer.draw_binary_masks(masks, colors=colors[:count], alphas=detections["maskAlpha"])
            return visualizer.get_image()
        return run
    return factory


def opencv(with_masks):
    def factory(workdir):
        import cv2
        import numpy as np
        scene, detections, masks = _inputs(workdir, with_masks)
        font = cv2.FONT_HERSHEY_SIMPLEX
        # Hershey's cap height is about 22 px at scale 1; match DejaVu Sans's caps (0.73 em) at the label size.
        scale = detections["fontSizePoints"] * POINTS_TO_PIXELS * 0.73 / 22.0
        pad = int(round(0.7 * POINTS_TO_PIXELS))
        boxes = [tuple(int(round(v)) for v in box) for box in detections["boxes"]]
        colors = [tuple(c) for c in detections["colors"]]
        labels = detections["labels"]
        alpha = detections["maskAlpha"]
        mask_colors = [np.array(c, dtype=np.float32) for c in colors[:detections["maskCount"]]]

        def run():
            image = scene.copy()
            for (x1, y1, x2, y2), color, label in zip(boxes, colors, labels):
                cv2.rectangle(image, (x1, y1), (x2, y2), color, 2, cv2.LINE_AA)
                (width, height), baseline = cv2.getTextSize(label, font, scale, 1)
                top = max(y1 - height - baseline - 2 * pad, 0)
                region = image[top:y1, x1:x1 + width + 2 * pad]
                cv2.addWeighted(np.zeros_like(region), 0.8, region, 0.2, 0, dst=region)
                cv2.putText(image, label, (x1 + pad, y1 - baseline - pad), font, scale, TEXT_COLOR, 1, cv2.LINE_AA)
            if masks is not None:
                for mask, color in zip(masks, mask_colors):
                    image[mask] = (image[mask] * (1 - alpha) + color * alpha).astype(np.uint8)
            return image
        return run
    return factory


WORKLOADS = {
    "visualizer.boxes100_labels100.1333x800": {"mmengine": mmengine(False), "opencv": opencv(False)},
    "visualizer.boxes100_labels100_masks20.1333x800": {"mmengine": mmengine(True), "opencv": opencv(True)},
}
