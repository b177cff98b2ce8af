import ArgumentParser
import Foundation
import VisCore
import VisTools
import Visualization

/// `vis browse SOURCE`: MMSelfSup's `browse_dataset.py` — every image of a dataset run through a self-supervised
/// pipeline and drawn by ``SelfSupVisualizer``.
struct BrowseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browse",
        abstract: "Browse a dataset through a self-supervised pipeline (MMSelfSup's browse_dataset.py).",
        discussion: """
            SOURCE is a folder of images (searched recursively; sub-folder names are classes, ImageNet style), an \
            ImageNet-style list file of `path label` lines (paths relative to the list, or to --data-root), or a \
            COCO annotation JSON (its images' file_name, relative to the JSON or to --data-root). Each image goes \
            through the pipeline (--pipeline NAME, one of MMSelfSup's mocov2, simclr, byol, simsiam, mae, simmim, \
            beit; or --config PIPELINE.json|yaml with a `pipeline`, `train_pipeline` or \
            `train_dataloader.dataset.pipeline` list; neither: the image as loaded) and is drawn as MMSelfSup's \
            SelfSupVisualizer draws it: views side by side, a mask-generator's patch mask blended in black. Each \
            drawing is shown in the terminal (or saved to a temporary file whose path is printed), --show-interval \
            seconds apart, unless --not-show; with --output-dir it is also written as DIR/<image file name> (a \
            repeated name gets _2, _3, ...). --views VIEWS.npz \
            draws views exported from a Python pipeline instead: `inputs` N x V x 3 x H x W (uint8, or float on \
            the 0-255 scale, RGB) and an optional `mask` (N x h x w or N x L), written as DIR/<index>.png. Images \
            that cannot be read or transformed are skipped with a warning and counted at the end. Random choices \
            come from --seed, so a run can be reproduced.
            """)

    @Argument(help: "A folder of images, an ImageNet-style list file, or a COCO annotation JSON.")
    var source: String?

    @Option(help: "A built-in pipeline: mocov2, simclr, byol, simsiam, mae, simmim or beit.")
    var pipeline: String?

    @Option(help: "A pipeline config (.json, .yaml) with a `pipeline` list of transforms.")
    var config: String?

    @Option(name: .customLong("output-dir"), help: "Also write each drawing into this directory.")
    var outputDir: String?

    @Flag(name: .customLong("not-show"), help: "Do not show the drawings (needs --output-dir).")
    var notShow = false

    @Option(name: .customLong("show-interval"), parsing: .unconditional, help: "Seconds between shown drawings.")
    var showInterval: Double = 2

    @Option(parsing: .unconditional, help: "Draw at most this many samples.")
    var limit: Int?

    @Option(parsing: .unconditional, help: "The seed of the pipeline's random choices.")
    var seed: Int = 0

    @Option(help: "Views (and masks) exported from a Python pipeline (.npz with `inputs` and optional `mask`).")
    var views: String?

    @Option(name: .customLong("data-root"), help: "The folder the list file's or COCO JSON's paths are relative to.")
    var dataRoot: String?

    func validate() throws {
        guard (source == nil) != (views == nil) else {
            throw ValidationError("give exactly one of SOURCE and --views VIEWS.npz")
        }
        if views != nil, config != nil || pipeline != nil {
            throw ValidationError("--views holds a pipeline's output already; drop --\(config != nil ? "config" : "pipeline")")
        }
        if config != nil, pipeline != nil {
            throw ValidationError("give at most one of --pipeline NAME and --config PIPELINE.json|yaml")
        }
        if let pipeline, !SelfSupPipeline.presetNames.contains(pipeline.lowercased()) {
            throw ValidationError(
                "--pipeline: unknown preset `\(pipeline)`; expected one of \(SelfSupPipeline.presetNames.joined(separator: ", "))")
        }
        if views != nil, dataRoot != nil {
            throw ValidationError("--data-root applies to SOURCE's paths, not to --views")
        }
        guard showInterval >= 0, showInterval.isFinite else {
            throw ValidationError("--show-interval must be a non-negative number of seconds, got \(showInterval)")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
        guard seed >= 0 else { throw ValidationError("--seed must be non-negative, got \(seed)") }
        if notShow, outputDir == nil {
            throw ValidationError("--not-show without --output-dir draws nothing anywhere; give --output-dir DIR")
        }
    }

    func run() throws {
        let samples: BrowseSamples
        if let views {
            samples = try Self.naming("--views \(views)") { try BrowseSamples(viewsFile: views) }
        } else {
            let source = source ?? ""
            var pipeline = try self.pipeline.map { name in
                try Self.naming("--pipeline \(name)") { try SelfSupPipeline.preset(named: name) }
            }
            if let config {
                pipeline = try Self.naming("--config \(config)") { try BrowseSamples.pipeline(configFile: config) }
            }
            let images = try Self.naming(source) { try BrowseSamples.imageList(source: source, dataRoot: dataRoot) }
            samples = BrowseSamples(images: images, pipeline: pipeline)
        }
        if let outputDir {
            try CommandFailure.naming("--output-dir") {
                try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
            }
        }
        let visualizer = try Visualizer(name: "vis-browse-\(UUID().uuidString)", rank: 0)
        visualizer.taskVisualizer = SelfSupVisualizer()
        let count = min(samples.count, limit ?? samples.count)
        var progress = ProgressBar(total: count)
        let seeds = BrowseSamples.sampleSeeds(seed: seed, count: count)
        var names = BrowseOutputNames()
        var drawn = 0
        var skipped = 0
        for index in 0..<count {
            let name = samples.outputName(at: index)
            // A sample that cannot be read, transformed or drawn is skipped; a drawing that cannot be written stops
            // the run, as every later one would fail the same way.
            let drawing: Image?
            do {
                let sample = try samples.sample(at: index, seed: seeds[index])
                drawing = try visualizer.addSelfSupSample(
                    name: name, sample: sample, show: !notShow, waitTime: showInterval)
            } catch {
                skipped += 1
                progress.interject("warning: skipping \(samples.label(at: index)): \(CommandFailure.message(for: error))")
                drawing = nil
            }
            if let drawing, let outputDir {
                let path = (outputDir as NSString).appendingPathComponent(names.unique(name))
                do {
                    try drawing.write(to: path)
                } catch {
                    progress.finish()
                    throw CommandFailure("--output-dir: \(CommandFailure.message(for: error))")
                }
            }
            if drawing != nil { drawn += 1 }
            progress.update()
        }
        progress.finish()
        visualizer.close()
        if skipped > 0 {
            FileHandle.standardError.write(
                Data("browse: skipped \(skipped) of \(count) samples that could not be read or drawn\n".utf8))
        }
        guard drawn > 0 else {
            throw CommandFailure("no sample could be drawn (\(skipped) skipped)")
        }
        if let outputDir { CommandOutput.report("browse", wrote: [outputDir]) }
    }

    /// ``CommandFailure/naming(_:_:)`` for the readers here, whose own failures do not name the file either.
    private static func naming<Result>(_ subject: String, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch {
            throw CommandFailure("\(subject): \(CommandFailure.message(for: error))")
        }
    }
}

/// File names for `--output-dir`: MMSelfSup's `<image file name>`, with `_2`, `_3`, … before the extension when
/// two images of a dataset share a name (ImageNet class folders may), so that no drawing overwrites another.
struct BrowseOutputNames {
    private var used: [String: Int] = [:]

    mutating func unique(_ name: String) -> String {
        let seen = used[name, default: 0]
        used[name] = seen + 1
        guard seen > 0 else { return name }
        let stem = (name as NSString).deletingPathExtension
        let pathExtension = (name as NSString).pathExtension
        return "\(stem)_\(seen + 1)" + (pathExtension.isEmpty ? "" : ".\(pathExtension)")
    }
}

/// The samples `vis browse` draws: images of a dataset run through a pipeline, or views exported from Python.
struct BrowseSamples {
    /// An image of a dataset, with its class index when the source gives one (a list file's label, or the index
    /// of the image's sub-folder among the sorted sub-folders, as ImageNet-style folders are read).
    struct Entry: Equatable {
        var path: String
        var label: Int?
    }

    private enum Content {
        case images([Entry], SelfSupPipeline?)
        case views(inputs: NDArray, mask: NDArray?, source: String)
    }

    private let content: Content

    init(images: [Entry], pipeline: SelfSupPipeline?) {
        content = .images(images, pipeline)
    }

    /// The samples of an `.npz` with `inputs` N×V×3×H×W and an optional `mask` N×h×w or N×L.
    ///
    /// - Throws: ``CommandFailure`` for a missing `inputs`, wrong shapes or a mask count other than N.
    init(viewsFile path: String) throws {
        let arrays = try NDArray.loadNPZ(from: path)
        guard let inputs = arrays["inputs"] else {
            throw CommandFailure("no `inputs` array (N x V x 3 x H x W); it has: \(arrays.keys.sorted().joined(separator: ", "))")
        }
        guard inputs.rank == 5, inputs.shape[2] == 3, inputs.shape.allSatisfy({ $0 > 0 }) else {
            throw CommandFailure("`inputs` must have shape (N, V, 3, H, W), got \(inputs.shape)")
        }
        let mask = arrays["mask"]
        if let mask, !((mask.rank == 2 || mask.rank == 3) && mask.shape[0] == inputs.shape[0]) {
            throw CommandFailure("`mask` must have shape (N, h, w) or (N, L) with N = \(inputs.shape[0]), got \(mask.shape)")
        }
        content = .views(inputs: inputs, mask: mask, source: path)
    }

    /// The pipeline seed of each of the first `count` samples: a stream drawn from `seed`, so that a run, and any
    /// prefix of it (`--limit`), draws the same views again.
    static func sampleSeeds(seed: Int, count: Int) -> [UInt64] {
        var stream = SplitMix64(seed: UInt64(max(seed, 0)))
        return (0..<count).map { _ in stream.next() }
    }

    /// The number of samples.
    var count: Int {
        switch content {
        case .images(let entries, _): return entries.count
        case .views(let inputs, _, _): return inputs.shape[0]
        }
    }

    /// What warnings call sample `index`: its image's path, or `VIEWS.npz[index]`.
    func label(at index: Int) -> String {
        switch content {
        case .images(let entries, _): return entries[index].path
        case .views(_, _, let source): return "\(source)[\(index)]"
        }
    }

    /// The output file name of sample `index`: the image's file name (MMSelfSup's naming; `.png` appended when
    /// its extension is not one we write), or `<index>.png`.
    func outputName(at index: Int) -> String {
        switch content {
        case .images(let entries, _):
            let name = (entries[index].path as NSString).lastPathComponent
            return (try? ImageFormat(pathExtensionOf: name)) == nil ? name + ".png" : name
        case .views: return "\(index).png"
        }
    }

    /// Sample `index`: the image loaded and run through the pipeline with `seed`, or the exported views.
    func sample(at index: Int, seed: UInt64) throws -> SelfSupDataSample {
        switch content {
        case .images(let entries, let pipeline):
            let entry = entries[index]
            let image = try Image(contentsOfFile: entry.path).converted(to: .rgb)
            var metainfo: [String: ConfigValue] = ["img_path": .string(entry.path)]
            if let label = entry.label { metainfo["gt_label"] = .int(label) }
            guard let pipeline else { return SelfSupDataSample(views: [image], metainfo: metainfo) }
            let made = try pipeline.sample(of: image, seed: seed)
            let mask = try made.mask.map { try NDArray($0.values, shape: [$0.height, $0.width]) }
            return SelfSupDataSample(views: made.views, groundTruth: .init(mask: mask), metainfo: metainfo)
        case .views(let inputs, let mask, _):
            let (viewCount, height, width) = (inputs.shape[1], inputs.shape[3], inputs.shape[4])
            let sample = try inputs.subarray(at: index)
            let samples = Self.bytes(of: sample)
            let plane = height * width
            var views: [Image] = []
            for view in 0..<viewCount {
                var pixels = [UInt8](repeating: 0, count: plane * 3)
                let base = view * plane * 3
                for channel in 0..<3 {
                    for offset in 0..<plane { pixels[offset * 3 + channel] = samples[base + channel * plane + offset] }
                }
                views.append(try Image(width: width, height: height, layout: .rgb, pixels: pixels))
            }
            let sampleMask = try mask.map { try $0.subarray(at: index) }
            return SelfSupDataSample(views: views, groundTruth: .init(mask: sampleMask))
        }
    }

    /// Samples as bytes: `uint8` as they are, anything else rounded to the nearest integer and clipped to 0...255.
    private static func bytes(of array: NDArray) -> [UInt8] {
        if let bytes = array.values(as: UInt8.self) { return bytes }
        return array.toDouble().map { value in
            value.isNaN ? 0 : UInt8(min(max(value.rounded(.toNearestOrEven), 0), 255))
        }
    }

    /// The pipeline in a config file: its `pipeline`, `train_pipeline` or `train_dataloader.dataset.pipeline`.
    static func pipeline(configFile path: String) throws -> SelfSupPipeline {
        let config = try Config(contentsOfFile: path)
        for key in ["pipeline", "train_pipeline"] where config.values[key] != nil {
            return try SelfSupPipeline(config: config, key: key)
        }
        if let dataset = config.values["train_dataloader"]?.dictionaryValue?["dataset"]?.dictionaryValue,
            dataset["pipeline"] != nil
        {
            return try SelfSupPipeline(config: Config(dataset), key: "pipeline")
        }
        throw CommandFailure("no `pipeline`, `train_pipeline` or `train_dataloader.dataset.pipeline` list of transforms")
    }

    /// The file extensions of images in a folder source.
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]

    /// The images `source` lists: a folder's image files (recursively, in path order, the first sub-folder as the
    /// class), a list file's `path label` lines, or a COCO JSON's `images[].file_name`.
    static func imageList(source: String, dataRoot: String?) throws -> [Entry] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw CommandFailure("no such file or directory")
        }
        let entries: [Entry]
        if isDirectory.boolValue {
            entries = try folderImages(source)
        } else if source.lowercased().hasSuffix(".json") {
            entries = try cocoImages(source, root: dataRoot ?? (source as NSString).deletingLastPathComponent)
        } else {
            entries = try listImages(source, root: dataRoot ?? (source as NSString).deletingLastPathComponent)
        }
        guard !entries.isEmpty else { throw CommandFailure("no images found") }
        return entries
    }

    private static func folderImages(_ folder: String) throws -> [Entry] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else {
            throw CommandFailure("cannot list the folder")
        }
        var relativePaths: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if imageExtensions.contains((relative as NSString).pathExtension.lowercased()) {
                relativePaths.append(relative)
            }
        }
        let classOf = { (relative: String) -> String? in
            let components = relative.split(separator: "/")
            return components.count > 1 ? String(components[0]) : nil
        }
        let classes = Set(relativePaths.compactMap(classOf)).sorted()
        return relativePaths.sorted().map { relative in
            Entry(
                path: (folder as NSString).appendingPathComponent(relative),
                label: classOf(relative).flatMap { classes.firstIndex(of: $0) })
        }
    }

    private static func resolve(_ path: String, root: String) -> String {
        path.hasPrefix("/") ? path : (root as NSString).appendingPathComponent(path)
    }

    private static func listImages(_ list: String, root: String) throws -> [Entry] {
        let text = try String(contentsOfFile: list, encoding: .utf8)
        var entries: [Entry] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard let first = fields.first else { continue }
            if fields.count > 2 || (fields.count == 2 && Int(fields[1]) == nil) {
                throw CommandFailure(
                    "line \(number + 1): expected `path label` with an integer label, got `\(line.trimmingCharacters(in: .whitespaces))`")
            }
            entries.append(Entry(path: resolve(String(first), root: root), label: fields.count == 2 ? Int(fields[1]) : nil))
        }
        return entries
    }

    private static func cocoImages(_ json: String, root: String) throws -> [Entry] {
        let data = try Data(contentsOf: URL(fileURLWithPath: json))
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw CommandFailure("not valid JSON (\(error.localizedDescription))")
        }
        guard let images = (object as? [String: Any])?["images"] as? [Any] else {
            throw CommandFailure("a COCO annotation file needs an `images` list")
        }
        return try images.enumerated().map { index, image in
            guard let fileName = (image as? [String: Any])?["file_name"] as? String, !fileName.isEmpty else {
                throw CommandFailure("images[\(index)] has no `file_name` string")
            }
            return Entry(path: resolve(fileName, root: root), label: nil)
        }
    }
}
