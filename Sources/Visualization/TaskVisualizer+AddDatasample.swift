import Foundation
import VisBackends
import VisCore

extension Visualizer {
    /// Draws a data sample — ground truth on the left panel, prediction on the right — and stores the result
    /// (MMDetection's `DetLocalVisualizer.add_datasample`, the convention of every OpenMMLab task visualizer).
    ///
    /// ```swift
    /// let visualizer = try Visualizer(backends: [["type": "LocalVisBackend"]], saveDir: "work_dirs/run1")
    /// visualizer.taskVisualizer = DetectionVisualizer()
    /// visualizer.setDatasetMeta(DatasetMeta(classes: ["person", "car"], palette: .coco))
    /// try visualizer.addDatasample(name: "val/0001", image: image, dataSample: sample, step: 100)
    /// ```
    ///
    /// In order:
    /// 1. The metadata (``datasetMeta``) and the sample are validated against the image
    ///    (``DataSample/validate(imageWidth:imageHeight:meta:)``); bad data throws before anything is drawn.
    /// 2. For each side asked for (`drawGT`, `drawPred`) that the task visualizer ``TaskVisualizer/canDraw(_:)``,
    ///    the image is set, the side drawn, and the result kept as a panel. Predicted instances whose score is not
    ///    above `predScoreThreshold` are removed first (MMDetection keeps `scores > pred_score_thr`).
    /// 3. The panels are joined left to right (one panel when only one side is drawn) and set as the
    ///    visualizer's image, so ``getImage()`` returns the result.
    /// 4. With `show`, the result is shown (``show(image:windowName:waitTime:target:)``). With `outFile` it is written
    ///    there (PNG or JPEG by extension) **instead of** being stored, as in MMDetection; otherwise it is stored
    ///    with ``addImage(name:image:step:)``.
    ///
    /// The task visualizer is ``taskVisualizer``, or when that is nil the built-in one for the sample's task
    /// (``TaskKind/infer(from:)``). On a rank other than 0 nothing happens and `nil` is returned.
    ///
    /// - Parameters:
    ///   - name: The image's name in the backends (and the window title when shown).
    ///   - image: The input image; every panel has its size.
    ///   - dataSample: What to draw.
    ///   - drawGT: Whether to draw the ground-truth panel.
    ///   - drawPred: Whether to draw the prediction panel.
    ///   - show: Whether to show the result.
    ///   - waitTime: Seconds to show it for (0: until dismissed).
    ///   - predScoreThreshold: Predictions scoring at or below this are hidden (default 0.3, MMDetection's).
    ///   - step: The step stored with the image.
    ///   - outFile: A file to write the result to instead of storing it.
    /// - Returns: The composed image, or `nil` on a rank other than 0.
    /// - Throws: ``DataSampleError`` for bad metadata or sample data, including
    ///   ``DataSampleError/emptySample(task:drawGT:drawPred:)`` when no side has anything to draw; drawing
    ///   errors (``VisualizerError``); image-writing errors (`VisCoreError`) for `outFile`. Storage failures do
    ///   not throw: they go to the error handler, as for every `add*` method.
    @discardableResult
    public func addDatasample(
        name: String, image: Image, dataSample: DataSample, drawGT: Bool = true, drawPred: Bool = true,
        show: Bool = false, waitTime: Double = 0, predScoreThreshold: Double = 0.3, step: Int = 0,
        outFile: String? = nil
    ) throws -> Image? {
        guard isMainProcess else { return nil }
        guard predScoreThreshold.isFinite else {
            throw VisualizerError.invalidArgument(
                argument: "predScoreThreshold", expected: "a finite number", actual: "\(predScoreThreshold)")
        }
        let task: any TaskVisualizer
        if let configured = taskVisualizer {
            task = configured
        } else if let kind = TaskKind.infer(from: dataSample) {
            task = kind.makeVisualizer()
        } else {
            throw DataSampleError.emptySample(task: "any task visualizer", drawGT: drawGT, drawPred: drawPred)
        }
        return try _addDatasample(
            name: name, image: image, dataSample: dataSample, task: task, drawGT: drawGT, drawPred: drawPred,
            show: show, waitTime: waitTime, predScoreThreshold: predScoreThreshold, step: step, outFile: outFile)
    }

    /// `addDatasample` with the task visualizer chosen by the caller (``addSelfSupSample`` draws with its own).
    func _addDatasample(
        name: String, image: Image, dataSample: DataSample, task: any TaskVisualizer, drawGT: Bool, drawPred: Bool,
        show: Bool, waitTime: Double, predScoreThreshold: Double, step: Int, outFile: String?
    ) throws -> Image {
        let meta = try typedDatasetMeta()
        try dataSample.validate(imageWidth: image.width, imageHeight: image.height, meta: meta)
        let slot = _taskSlot
        slot.sequenceLock.lock()
        defer { slot.sequenceLock.unlock() }
        var panels: [Image] = []
        for side in AnnotationSide.allCases where side == .groundTruth ? drawGT : drawPred {
            var annotations = dataSample[side]
            guard task.canDraw(annotations) else { continue }
            if side == .prediction {
                annotations.instances = annotations.instances?.filtered(scoreAbove: predScoreThreshold)
            }
            let context = TaskDrawingContext(
                side: side, meta: meta, imageWidth: image.width, imageHeight: image.height,
                predScoreThreshold: predScoreThreshold, metainfo: dataSample.metainfo)
            panels.append(try _drawPanel(annotations, on: image, with: task, context: context))
        }
        guard !panels.isEmpty else {
            throw DataSampleError.emptySample(task: task.name, drawGT: drawGT, drawPred: drawPred)
        }
        let composed = try TaskLayout.composePanels(panels)
        setImage(composed)
        if show {
            try self.show(image: composed, windowName: name, waitTime: waitTime)
        }
        if let outFile {
            try composed.write(to: outFile)
        } else {
            addImage(name: name, image: composed, step: step)
        }
        return composed
    }

    /// One panel: `annotations` drawn by `task` on `image`.
    private func _drawPanel(
        _ annotations: DataSample.Annotations, on image: Image, with task: any TaskVisualizer,
        context: TaskDrawingContext
    ) throws -> Image {
        setImage(image)
        try task.draw(annotations, on: self, context: context)
        return try getImage()
    }
}
