import VisBackends
import VisCore
import VisDraw

/// Draws self-supervised learning samples: MMSelfSup 1.x's `SelfSupVisualizer.add_datasample`
/// (`mmselfsup/visualization/selfsup_visualizer.py`) together with the way its `browse_dataset.py` tool lays out a
/// sample's views.
///
/// What a sample becomes (``SelfSupDataSample/kind``):
/// - **Contrastive** (two or more views, no mask; MoCo, SimCLR, BYOL): the views side by side.
/// - **Rotation prediction** (rotation labels): the rotated views side by side.
/// - **Relative location** (patch boxes and the unpatched image): the boxes outlined in ``boxColor`` on the
///   unpatched image.
/// - **Masked image modelling** (a patch mask; MAE, SimMIM, BEiT): the first view with the patch mask upsampled
///   to it by nearest neighbour and blended in ``maskColor`` (`k`) at ``alpha`` (0.8), as MMSelfSup's
///   `draw_binary_masks` call does.
///
/// With both sides drawn, ground truth is on the left and the prediction on the right. Use it through
/// ``Visualizer/addSelfSupSample(name:sample:drawGT:drawPred:show:waitTime:step:outFile:)``, or as any task
/// visualizer on a ``DataSample`` whose instances hold the patch boxes and pixel masks already at the image's size.
/// It is registered as `SelfSupVisualizer` (options `line_width`, `alpha`).
public struct SelfSupVisualizer: TaskVisualizer {
    /// The width of patch-box outlines in points (MMSelfSup's 3).
    public var lineWidth: Double
    /// The opacity of patch boxes and masks (MMSelfSup's 0.8).
    public var alpha: Double
    /// The colour masked patches are blended with (MMSelfSup's `k`, black).
    public var maskColor: MaskColor
    /// The colour of patch-box outlines (MMSelfSup's `r`).
    public var boxColor: Color

    /// Creates a visualizer with MMSelfSup's defaults.
    public init(lineWidth: Double = 3, alpha: Double = 0.8, maskColor: MaskColor = "k", boxColor: Color = "r") {
        self.lineWidth = lineWidth
        self.alpha = alpha
        self.maskColor = maskColor
        self.boxColor = boxColor
    }

    public func canDraw(_ annotations: DataSample.Annotations) -> Bool {
        annotations.instances.map { $0.boxes != nil || $0.masks != nil } ?? false
    }

    /// Outlines the instances' boxes, then blends the union of their masks (MMSelfSup draws the patch boxes first
    /// and the mask over them).
    public func draw(_ annotations: DataSample.Annotations, on visualizer: Visualizer, context: TaskDrawingContext) throws {
        guard let instances = annotations.instances else { return }
        if let boxes = instances.boxes, !boxes.isEmpty {
            try visualizer.drawBoundingBoxes(
                boxes.map { [$0.x1, $0.y1, $0.x2, $0.y2] }, edgeColors: .all(boxColor), lineWidths: .all(lineWidth),
                alpha: alpha)
        }
        if let masks = instances.masks, masks.count > 0 {
            let plane = masks.height * masks.width
            var union = [Bool](repeating: false, count: plane)
            for index in 0..<masks.count {
                for (offset, inside) in masks.mask(at: index).enumerated() where inside { union[offset] = true }
            }
            try visualizer.drawBinaryMasks(
                try NDArray(union, shape: [masks.height, masks.width]), colors: .all(maskColor), alphas: .all(alpha))
        }
    }

    /// The registry's `SelfSupVisualizer`: a visualizer whose task visualizer is this one, configured by
    /// `line_width` and `alpha`.
    static func _register(in registry: VisualizerRegistry) {
        registry.registerTaskVisualizer("SelfSupVisualizer", optionKeys: ["line_width", "alpha"]) { options in
            var visualizer = SelfSupVisualizer()
            visualizer.lineWidth = try options.double("line_width", in: 0...100) ?? visualizer.lineWidth
            visualizer.alpha = try options.double("alpha", in: 0...1) ?? visualizer.alpha
            return visualizer
        }
    }
}

/// One sample of a self-supervised data pipeline: MMSelfSup's `SelfSupDataSample` with the `inputs` packed with it
/// — the views, the pretext-task targets (`mask`, `pseudo_label.patch_box`, `pseudo_label.unpatched_img`,
/// `pseudo_label.rot_label`) and metainfo.
public struct SelfSupDataSample: Sendable, Equatable {
    /// The views the pipeline made (`inputs`): one for masked image modelling, two or more for contrastive
    /// methods, the rotated copies for rotation prediction, the patches for relative location.
    public var views: [Image]
    /// The image the relative-location patches were cut from (`pseudo_label.unpatched_img`).
    public var unpatchedImage: Image?
    /// The rotation labels of the views (`pseudo_label.rot_label`); their presence makes the sample a rotation one.
    public var rotationLabels: [Int]?
    /// The ground-truth side: the mask the pipeline drew and the patch boxes.
    public var groundTruth: Annotations
    /// The prediction side (drawn on the right when set).
    public var prediction: Annotations
    /// Free information (`img_path`, ...).
    public var metainfo: [String: ConfigValue]

    /// Creates a sample.
    public init(
        views: [Image], unpatchedImage: Image? = nil, rotationLabels: [Int]? = nil,
        groundTruth: Annotations = Annotations(), prediction: Annotations = Annotations(),
        metainfo: [String: ConfigValue] = [:]
    ) {
        self.views = views
        self.unpatchedImage = unpatchedImage
        self.rotationLabels = rotationLabels
        self.groundTruth = groundTruth
        self.prediction = prediction
        self.metainfo = metainfo
    }

    /// What one side of a self-supervised sample marks on the image.
    public struct Annotations: Sendable, Equatable {
        /// The patch mask, 1 (any non-zero) = removed: an h×w grid, or L values of a square grid (MAE's flat
        /// mask). The image's height and width must be multiples of the grid's.
        public var mask: NDArray?
        /// Relative-location patch boxes, x1 y1 x2 y2 in pixels of the unpatched image.
        public var patchBoxes: [BoundingBox]?

        /// Creates a side.
        public init(mask: NDArray? = nil, patchBoxes: [BoundingBox]? = nil) {
            self.mask = mask
            self.patchBoxes = patchBoxes
        }

        /// Whether nothing is set.
        public var isEmpty: Bool { mask == nil && patchBoxes == nil }
    }

    /// The pretext tasks MMSelfSup's browse tool tells apart, each laid out its own way.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Views side by side.
        case contrastive
        /// Rotated views side by side.
        case rotation
        /// Patch boxes on the unpatched image.
        case relativeLocation = "relative_location"
        /// The first view, with the mask when there is one.
        case maskedImageModelling = "masked_image_modelling"
    }

    /// The kind, decided in `browse_dataset.py`'s order: rotation labels → rotation; patch boxes with an unpatched
    /// image → relative location; two or more views and no mask → contrastive; otherwise masked image modelling
    /// (a single view is drawn as it is).
    public var kind: Kind {
        if rotationLabels != nil { return .rotation }
        let boxes = groundTruth.patchBoxes != nil || prediction.patchBoxes != nil
        if boxes, unpatchedImage != nil { return .relativeLocation }
        if views.count >= 2, groundTruth.mask == nil, prediction.mask == nil { return .contrastive }
        return .maskedImageModelling
    }

    /// The image the sides are drawn on: the views side by side (contrastive, rotation), the unpatched image
    /// (relative location) or the first view.
    ///
    /// - Throws: ``DataSampleError/invalidField(field:expected:actual:)`` naming `views` when there are none or
    ///   views to be joined differ in height.
    public func canvasImage() throws -> Image {
        guard let first = views.first else {
            throw DataSampleError.invalidField(field: "views", expected: "at least one view", actual: "none")
        }
        switch kind {
        case .contrastive, .rotation:
            if let other = views.first(where: { $0.height != first.height }) {
                throw DataSampleError.invalidField(
                    field: "views", expected: "views of one height (\(first.height) px)",
                    actual: "a view \(other.height) px high")
            }
            return try Image.hconcat(views.map { $0.converted(to: .rgb) })
        case .relativeLocation:
            return unpatchedImage ?? first
        case .maskedImageModelling:
            return first
        }
    }

    /// `mask` upsampled to `width`×`height` by nearest neighbour: pixel (x, y) takes grid cell
    /// (x / (width / w), y / (height / h)), as MMSelfSup's `_draw_mask` loops.
    ///
    /// - Throws: ``DataSampleError/invalidField(field:expected:actual:)`` naming `field` for a mask that is not a
    ///   grid (or a square number of values) or whose grid does not divide the image.
    public static func upsampledMask(_ mask: NDArray, width: Int, height: Int, field: String = "mask") throws -> [Bool] {
        let rows: Int
        let columns: Int
        switch mask.rank {
        case 2:
            (rows, columns) = (mask.shape[0], mask.shape[1])
        case 1:
            let side = Int(Double(mask.count).squareRoot().rounded())
            guard side * side == mask.count else {
                throw DataSampleError.invalidField(
                    field: field, expected: "an h×w grid or L values of a square grid", actual: "\(mask.count) values")
            }
            (rows, columns) = (side, side)
        default:
            throw DataSampleError.invalidField(
                field: field, expected: "an h×w grid or L values of a square grid", actual: "shape \(mask.shape)")
        }
        guard rows > 0, columns > 0, height % rows == 0, width % columns == 0 else {
            throw DataSampleError.invalidField(
                field: field, expected: "a grid dividing the \(width)×\(height) image",
                actual: "a \(rows)×\(columns) grid (h×w)")
        }
        let cells = InstanceMasks._bits(of: mask)
        let (cellHeight, cellWidth) = (height / rows, width / columns)
        var bits = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            let row = (y / cellHeight) * columns
            for x in 0..<width where cells[row + x / cellWidth] { bits[y * width + x] = true }
        }
        return bits
    }

    /// The ``DataSample`` of this sample drawn on an image of `width`×`height`: patch boxes and the upsampled
    /// mask as instances of each side.
    func _dataSample(width: Int, height: Int) throws -> DataSample {
        func annotations(_ side: Annotations, field: String) throws -> DataSample.Annotations {
            let boxes = kind == .relativeLocation ? (side.patchBoxes ?? []) : []
            var masks: InstanceMasks?
            if let mask = side.mask {
                let bits = try Self.upsampledMask(mask, width: width, height: height, field: field)
                // Instance fields agree in count: the mask goes with the first box, the other boxes get none.
                let count = max(boxes.count, 1)
                masks = try InstanceMasks(
                    count: count, height: height, width: width,
                    bits: bits + [Bool](repeating: false, count: (count - 1) * bits.count))
            }
            guard !boxes.isEmpty || masks != nil else { return DataSample.Annotations() }
            return DataSample.Annotations(instances: InstanceData(boxes: boxes.isEmpty ? nil : boxes, masks: masks))
        }
        return DataSample(
            metainfo: metainfo, groundTruth: try annotations(groundTruth, field: "gt_mask"),
            prediction: try annotations(prediction, field: "pred_mask"))
    }
}

extension Visualizer {
    /// Draws a self-supervised sample and stores the result: MMSelfSup's `SelfSupVisualizer.add_datasample`.
    ///
    /// The sample's ``SelfSupDataSample/canvasImage()`` is drawn by ``taskVisualizer`` when it is a
    /// ``SelfSupVisualizer``, else by one with MMSelfSup's defaults: the ground-truth side always (the bare image
    /// when it marks nothing, so a contrastive sample comes out as its views side by side), and on its right the
    /// prediction side when it marks something. Then, as for
    /// ``addDatasample(name:image:dataSample:drawGT:drawPred:show:waitTime:predScoreThreshold:step:outFile:)``:
    /// shown with `show`, written to `outFile` instead of being stored, otherwise stored with
    /// ``addImage(name:image:step:)``.
    ///
    /// ```swift
    /// let sample = SelfSupDataSample(views: [view], groundTruth: .init(mask: try NDArray(mask, shape: [14, 14])))
    /// try visualizer.addSelfSupSample(name: "n01440764_10026.JPEG", sample: sample, outFile: "out/n01.png")
    /// ```
    ///
    /// - Returns: The composed image, or `nil` on a rank other than 0.
    /// - Throws: ``DataSampleError`` for views that cannot be joined or a mask that does not fit the image;
    ///   drawing and image-writing errors.
    @discardableResult
    public func addSelfSupSample(
        name: String, sample: SelfSupDataSample, drawGT: Bool = true, drawPred: Bool = true, show: Bool = false,
        waitTime: Double = 0, step: Int = 0, outFile: String? = nil
    ) throws -> Image? {
        guard isMainProcess else { return nil }
        let image = try sample.canvasImage()
        var dataSample = try sample._dataSample(width: image.width, height: image.height)
        let task = taskVisualizer as? SelfSupVisualizer ?? SelfSupVisualizer()
        // MMSelfSup always draws the ground-truth side, the bare image when it has nothing to mark.
        if dataSample.groundTruth.instances == nil { dataSample.groundTruth.instances = InstanceData(boxes: []) }
        return try _addDatasample(
            name: name, image: image, dataSample: dataSample, task: _BareImageAllowed(task), drawGT: drawGT,
            drawPred: drawPred, show: show, waitTime: waitTime, predScoreThreshold: 0, step: step, outFile: outFile)
    }
}

/// A ``SelfSupVisualizer`` that also accepts a side with an empty instance set, so that a sample without marks
/// gets its bare image as a panel.
private struct _BareImageAllowed: TaskVisualizer {
    let base: SelfSupVisualizer
    init(_ base: SelfSupVisualizer) { self.base = base }
    var name: String { base.name }
    func canDraw(_ annotations: DataSample.Annotations) -> Bool { annotations.instances != nil }
    func draw(_ annotations: DataSample.Annotations, on visualizer: Visualizer, context: TaskDrawingContext) throws {
        try base.draw(annotations, on: visualizer, context: context)
    }
}
