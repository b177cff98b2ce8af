import Foundation
import VisBackends
import VisCore

/// What a dataset says about its labels: class names and colours, and for pose datasets the keypoint names,
/// the skeleton and their colours — MMEngine's `dataset_meta`.
///
/// Task visualizers read it from ``Visualizer/datasetMeta`` (set it with ``Visualizer/setDatasetMeta(_:)``), so a
/// config or a runner can fill it the way MMEngine does. Its config/JSON form uses MMEngine's keys:
///
/// ```json
/// {"classes": ["person", "car"], "palette": [[220, 20, 60], [0, 0, 142]],
///  "keypoint_names": ["nose", "left_eye"], "skeleton_links": [[0, 1]],
///  "keypoint_colors": ["red", "#00ff00"], "skeleton_link_colors": [[0, 128, 255]]}
/// ```
///
/// `palette` may also name a built-in palette: `"coco"`, `"tab10"`, `"tab20"` or `"random"` (MMDetection's seeded
/// random colours). Other keys (a dataset's `sigmas`, `flip_indices`, ...) are ignored.
public struct DatasetMeta: Sendable, Equatable {
    /// Class names, indexed by label. Empty when the dataset has none; labels then show as `class N`.
    public var classes: [String]
    /// Colours by class index; `nil` uses MMDetection's default, `ColorPalette.random(count:seed:)` with seed 42.
    public var palette: ColorPalette?
    /// Keypoint names, indexed by keypoint (pose datasets).
    public var keypointNames: [String]
    /// The skeleton: pairs of keypoint indices joined by a line.
    public var skeletonLinks: [SkeletonLink]
    /// A colour per keypoint; when empty or short, keypoints without one are red.
    public var keypointColors: [Color]
    /// A colour per skeleton link; when empty or short, links without one are green.
    public var skeletonLinkColors: [Color]

    /// Creates metadata; every argument defaults to "none".
    public init(
        classes: [String] = [], palette: ColorPalette? = nil, keypointNames: [String] = [],
        skeletonLinks: [SkeletonLink] = [], keypointColors: [Color] = [], skeletonLinkColors: [Color] = []
    ) {
        self.classes = classes
        self.palette = palette
        self.keypointNames = keypointNames
        self.skeletonLinks = skeletonLinks
        self.keypointColors = keypointColors
        self.skeletonLinkColors = skeletonLinkColors
    }

    /// The keypoint colour used when ``keypointColors`` has none for a keypoint (MMPose's default `'red'`).
    public static let defaultKeypointColor = Color(red: 255, green: 0, blue: 0)
    /// The link colour used when ``skeletonLinkColors`` has none for a link.
    public static let defaultLinkColor = Color(red: 0, green: 255, blue: 0)

    /// The name shown for `label`: its class name, or `class <label>` (MMDetection's fallback) when the
    /// metadata has no classes.
    public func className(of label: Int) -> String {
        classes.indices.contains(label) ? classes[label] : "class \(label)"
    }

    /// The colour of class `label`: the palette's (wrapping around), else MMDetection's seeded random colour.
    public func color(of label: Int) -> Color {
        (palette ?? DatasetMeta._randomPalette)[label]
    }

    /// The colour of keypoint `index`.
    public func keypointColor(of index: Int) -> Color {
        keypointColors.indices.contains(index) ? keypointColors[index] : DatasetMeta.defaultKeypointColor
    }

    /// The colour of skeleton link `index`.
    public func linkColor(of index: Int) -> Color {
        skeletonLinkColors.indices.contains(index) ? skeletonLinkColors[index] : DatasetMeta.defaultLinkColor
    }

    /// MMDetection's `get_palette(None, n)`: numpy's seed-42 random colours, a stream whose first entries do not
    /// depend on `n`, so one long table serves every class count.
    static let _randomPalette: ColorPalette = {
        guard let palette = try? ColorPalette.random(count: 1024) else { return .tab20 }
        return palette
    }()
}

/// A line of a pose skeleton between two keypoints, by index.
public struct SkeletonLink: Sendable, Hashable {
    /// The first keypoint.
    public var from: Int
    /// The second keypoint.
    public var to: Int

    /// Creates a link.
    public init(_ from: Int, _ to: Int) {
        self.from = from
        self.to = to
    }
}
