import VisCore
import VisDraw

/// Draws keypoints and skeletons — MMPose's `PoseLocalVisualizer`.
///
/// A keypoint is shown when its score is above ``keypointThreshold`` (MMPose's `kpt_thr`, 0.3) and it lies in the
/// image. Its score is `keypoint_scores`, else `keypoints_visible` (how ground truth marks hidden points), else 1.
/// Skeleton links (``DatasetMeta/skeletonLinks``) are drawn between two shown keypoints, then the keypoints on top
/// as filled circles; colours come from ``DatasetMeta/keypointColor(of:)`` and ``DatasetMeta/linkColor(of:)``.
/// Radius and line width grow with the image (``TaskLayout/imageScale(width:height:)``). With ``drawBoxes``, the
/// instances' boxes are outlined in green too (MMPose's `draw_bbox`).
public struct PoseVisualizer: TaskVisualizer {
    /// Keypoints scoring at or below this are hidden.
    public var keypointThreshold: Double
    /// The keypoint radius in pixels before scaling (MMPose's 3).
    public var radius: Double
    /// The link width in points before scaling.
    public var lineWidth: Double
    /// The opacity of keypoints and links (MMPose's 1).
    public var alpha: Double
    /// Whether to outline the instances' boxes.
    public var drawBoxes: Bool

    /// Creates a pose visualizer; the defaults are MMPose's.
    public init(
        keypointThreshold: Double = 0.3, radius: Double = 3, lineWidth: Double = 1.5, alpha: Double = 1,
        drawBoxes: Bool = false
    ) {
        self.keypointThreshold = keypointThreshold
        self.radius = radius
        self.lineWidth = lineWidth
        self.alpha = alpha
        self.drawBoxes = drawBoxes
    }

    public func canDraw(_ annotations: DataSample.Annotations) -> Bool {
        annotations.instances?.keypoints != nil
    }

    /// Which keypoints of each instance are shown (score above the threshold, inside the image).
    public func visibleKeypoints(of instances: InstanceData, imageWidth: Int, imageHeight: Int) -> [[Bool]] {
        (instances.keypoints ?? []).enumerated().map { instance, points in
            points.enumerated().map { index, point in
                let score = instances.keypointScores?[instance][index]
                    ?? instances.keypointsVisible?[instance][index] ?? 1
                return score > keypointThreshold && point.x >= 0 && point.x < Double(imageWidth) && point.y >= 0
                    && point.y < Double(imageHeight)
            }
        }
    }

    public func draw(_ annotations: DataSample.Annotations, on visualizer: Visualizer, context: TaskDrawingContext) throws {
        guard let instances = annotations.instances, let keypoints = instances.keypoints else { return }
        let scale = context.imageScale
        if drawBoxes, let boxes = instances.boxes, !boxes.isEmpty {
            try visualizer.drawBoundingBoxes(
                boxes.map { [$0.x1, $0.y1, $0.x2, $0.y2] }, edgeColors: .all(Color(red: 0, green: 255, blue: 0)),
                lineWidths: .all(scale), alpha: alpha)
        }
        let visible = visibleKeypoints(of: instances, imageWidth: context.imageWidth, imageHeight: context.imageHeight)
        let linkAlpha = UInt8((min(max(alpha.isNaN ? 1 : alpha, 0), 1) * 255).rounded())
        var xData: [[Double]] = []
        var yData: [[Double]] = []
        var linkColors: [Color] = []
        var centers: [[Double]] = []
        var pointColors: [Color] = []
        for (instance, points) in keypoints.enumerated() {
            for (index, link) in context.meta.skeletonLinks.enumerated()
            where visible[instance].indices.contains(link.from) && visible[instance].indices.contains(link.to)
                && visible[instance][link.from] && visible[instance][link.to]
            {
                let (a, b) = (points[link.from], points[link.to])
                xData.append([a.x, b.x])
                yData.append([a.y, b.y])
                linkColors.append(context.meta.linkColor(of: index).withAlpha(linkAlpha))
            }
            for (index, point) in points.enumerated() where visible[instance][index] {
                centers.append([point.x, point.y])
                pointColors.append(context.meta.keypointColor(of: index))
            }
        }
        if !xData.isEmpty {
            try visualizer.drawLines(
                xData: xData, yData: yData, colors: .each(linkColors), lineWidths: .all(lineWidth * scale))
        }
        if !centers.isEmpty {
            try visualizer.drawCircles(
                centers: centers, radii: [Double](repeating: radius * scale, count: centers.count),
                edgeColors: .each(pointColors), lineWidths: .all(1), faceColors: .each(pointColors), alpha: alpha)
        }
    }
}
