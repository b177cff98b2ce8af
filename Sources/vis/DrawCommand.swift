import ArgumentParser
import Foundation
import Visualization

/// `vis draw --image IMG --ops OPS.json --out OUT.png`: runs MMEngine-style drawing calls from a JSON file.
struct DrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "Draw boxes, texts, masks and more on an image from a JSON list of MMEngine drawing calls.",
        discussion: """
            OPS is a JSON array of calls with MMEngine's method and argument names, for example:

              [{"op": "draw_bboxes", "bboxes": [[33, 120, 209, 220]],
                "edge_colors": "r", "line_widths": 3},
               {"op": "draw_texts", "texts": ["cat"], "positions": [[33, 120]],
                "bboxes": {"facecolor": "black", "alpha": 0.8, "pad": 0.7,
                           "edgecolor": "none"}},
               {"op": "draw_binary_masks", "binary_masks": "mask.npy",
                "colors": "b", "alphas": 0.5}]

            Calls: draw_bboxes (bboxes), draw_polygons (polygons), draw_circles (center, radius) — each with \
            edge_colors, line_styles, line_widths, face_colors, alpha; draw_lines (x_datas, y_datas, colors, \
            line_styles, line_widths); draw_points (positions, colors, marker, sizes); draw_texts (texts, \
            positions, font_sizes, colors, vertical_alignments, horizontal_alignments, font_families, \
            font_properties = font file paths, bboxes = dicts of facecolor/fc, edgecolor/ec, alpha, pad, \
            linewidth); draw_binary_masks (binary_masks, colors, alphas).
            Arrays are inline JSON or paths of .npy files, relative to OPS. Colours are strings ("g", "red", \
            "#ff8000", "none") or [r, g, b] on the 0-255 scale; style arguments take one value or a list with \
            one per item. Errors name the call and argument (ops[2].bboxes: ...); on any error nothing is \
            written.
            """)

    @Option(help: "The image to draw on (PNG or JPEG).")
    var image: String

    @Option(help: "The JSON file of drawing calls.")
    var ops: String

    @Option(help: "The output image (.png, .jpg or .jpeg).")
    var out: String

    func validate() throws {
        guard (try? ImageFormat(pathExtensionOf: out)) != nil else {
            throw ValidationError("--out `\(out)` must end in .png, .jpg or .jpeg")
        }
    }

    func run() throws {
        let input: Image
        do {
            input = try Image(contentsOfFile: image)
        } catch {
            throw DrawOpsError(location: "--image", message: "\(error)")
        }
        let calls = try DrawOperations.load(path: ops)
        // Warnings (out-of-bounds geometry) go to the visualizer's logger, on stderr.
        let visualizer = try Visualizer(name: "vis-draw", image: input, rank: 0)
        for call in calls { try call.run(on: visualizer) }
        var drawn = try visualizer.getImage()
        if (try? ImageFormat(pathExtensionOf: out)) == .jpeg, drawn.layout == .rgba {
            drawn = drawn.flattened(over: Color(red: 255, green: 255, blue: 255))
        }
        do {
            try drawn.write(to: out)
        } catch {
            throw DrawOpsError(location: "--out", message: "\(error)")
        }
    }
}

/// An error in an ops file or argument, printed as `location: message` (`ops[2].bboxes: expected …`).
struct DrawOpsError: Error, CustomStringConvertible {
    let location: String
    let message: String
    var description: String { "\(location): \(message)" }
}

/// One drawing call of an ops file.
struct DrawOperation {
    /// The call's position in the file.
    let index: Int
    /// The MMEngine method name.
    let name: String
    /// The call's arguments (without `op`).
    let arguments: OrderedDictionary<String, ConfigValue>
    /// The folder relative `.npy` paths are resolved against.
    let baseDirectory: URL

    /// Each call's arguments, and the Swift argument names (in library errors) they correspond to.
    static let signatures: [String: [(mmengine: String, swift: String)]] = {
        let shape: [(String, String)] = [
            ("edge_colors", "edgeColors"), ("line_styles", "lineStyles"), ("line_widths", "lineWidths"),
            ("face_colors", "faceColors"), ("alpha", "alpha"),
        ]
        return [
            "draw_bboxes": [("bboxes", "boxes")] + shape,
            "draw_polygons": [("polygons", "polygons")] + shape,
            "draw_circles": [("center", "centers"), ("radius", "radii")] + shape,
            "draw_lines": [
                ("x_datas", "xData"), ("y_datas", "yData"), ("colors", "colors"), ("line_styles", "lineStyles"),
                ("line_widths", "lineWidths"),
            ],
            "draw_points": [
                ("positions", "positions"), ("colors", "colors"), ("marker", "marker"), ("sizes", "sizes"),
            ],
            "draw_texts": [
                ("texts", "texts"), ("positions", "positions"), ("font_sizes", "fontSizes"), ("colors", "colors"),
                ("vertical_alignments", "verticalAlignments"), ("horizontal_alignments", "horizontalAlignments"),
                ("font_families", "fonts"), ("font_properties", "fonts"), ("bboxes", "backgrounds"),
            ],
            "draw_binary_masks": [("binary_masks", "masks"), ("colors", "colors"), ("alphas", "alphas")],
        ]
    }()

    func unknownCall() -> DrawOpsError {
        let known = DrawOperation.signatures.keys.sorted().joined(separator: ", ")
        return fail("op", "unknown drawing call \"\(name)\"; expected one of \(known)")
    }

    func location(_ argument: String) -> String { "ops[\(index)].\(argument)" }

    func fail(_ argument: String, _ message: String) -> DrawOpsError {
        DrawOpsError(location: location(argument), message: message)
    }

    /// Runs the call, translating the library's errors (which name Swift arguments) into the file's names.
    func run(on visualizer: Visualizer) throws {
        do {
            try perform(on: visualizer)
        } catch VisualizerError.invalidArgument(let argument, let expected, let actual) {
            let names = ["xData": "x_datas", "yData": "y_datas"]
            let message = names.reduce("expected \(expected), got \(actual)") {
                $0.replacingOccurrences(of: $1.key, with: $1.value)
            }
            throw fail(mmengineName(of: argument), message)
        } catch let error as VisDrawError {
            switch error {
            case .fontFileNotFound, .invalidFontFile, .faceIndexOutOfRange, .noFontAvailable:
                throw fail(arguments["font_properties"] != nil ? "font_properties" : "font_families", "\(error)")
            default:
                throw error
            }
        }
    }

    /// `edgeColors[1]` → `edge_colors[1]`, `backgrounds[0].faceColor` → `bboxes[0].facecolor`.
    func mmengineName(of argument: String) -> String {
        let base = argument.prefix { $0 != "[" && $0 != "." }
        var rest = String(argument.dropFirst(base.count))
        rest = rest.replacingOccurrences(of: ".faceColor", with: ".facecolor")
            .replacingOccurrences(of: ".edgeColor", with: ".edgecolor")
        let signature = DrawOperation.signatures[name] ?? []
        let given = signature.filter { $0.swift == base }
        let mapped = given.first { arguments[$0.mmengine] != nil }?.mmengine ?? given.first?.mmengine ?? String(base)
        return mapped + rest
    }

    private func perform(on visualizer: Visualizer) throws {
        switch name {
        case "draw_bboxes":
            try visualizer.drawBoundingBoxes(
                try array("bboxes"), edgeColors: try colors("edge_colors") ?? "g",
                lineStyles: try lineStyles("line_styles") ?? .all(.solid), lineWidths: try numbers("line_widths") ?? 2,
                faceColors: try colors("face_colors") ?? .all(.none), alpha: try number("alpha") ?? 0.8)
        case "draw_polygons":
            try visualizer.drawPolygons(
                try polygons("polygons"), edgeColors: try colors("edge_colors") ?? "g",
                lineStyles: try lineStyles("line_styles") ?? .all(.solid), lineWidths: try numbers("line_widths") ?? 2,
                faceColors: try colors("face_colors") ?? .all(.none), alpha: try number("alpha") ?? 0.8)
        case "draw_circles":
            try visualizer.drawCircles(
                centers: try array("center"), radii: try array("radius"), edgeColors: try colors("edge_colors") ?? "g",
                lineStyles: try lineStyles("line_styles") ?? .all(.solid), lineWidths: try numbers("line_widths") ?? 2,
                faceColors: try colors("face_colors") ?? .all(.none), alpha: try number("alpha") ?? 0.8)
        case "draw_lines":
            try visualizer.drawLines(
                xData: try array("x_datas"), yData: try array("y_datas"), colors: try colors("colors") ?? "g",
                lineStyles: try lineStyles("line_styles") ?? .all(.solid), lineWidths: try numbers("line_widths") ?? 2)
        case "draw_points":
            let marker = try string("marker").map { symbol in
                do { return try PointMarker(parsing: symbol) } catch {
                    throw fail("marker", "expected one of o . s ^ v x + * D, got \"\(symbol)\"")
                }
            }
            try visualizer.drawPoints(
                try array("positions"), colors: try colors("colors") ?? "g", marker: marker ?? .circle,
                sizes: try numbers("sizes") ?? 36)
        case "draw_texts":
            try visualizer.drawTexts(
                try texts("texts"), at: try array("positions"), fontSizes: try numbers("font_sizes"),
                colors: try colors("colors") ?? "g",
                verticalAlignments: try parsed("vertical_alignments") { try VerticalTextAlignment(parsing: $0) }
                    ?? .all(.top),
                horizontalAlignments: try parsed("horizontal_alignments") { try HorizontalTextAlignment(parsing: $0) }
                    ?? .all(.left),
                fonts: try fonts() ?? "sans-serif", backgrounds: try backgrounds("bboxes"))
        case "draw_binary_masks":
            try visualizer.drawBinaryMasks(
                try array("binary_masks", booleans: true), colors: try maskColors("colors") ?? "g",
                alphas: try numbers("alphas") ?? 0.8)
        default:
            throw unknownCall()
        }
    }

    // MARK: - Argument readers

    private func required(_ key: String) throws -> ConfigValue {
        guard let value = arguments[key], !value.isNull else { throw fail(key, "missing (required by \(name))") }
        return value
    }

    /// An inline nested array of numbers (or booleans for masks), or the path of a `.npy` file.
    private func array(_ key: String, booleans: Bool = false) throws -> NDArray {
        let value = try required(key)
        if let path = value.stringValue {
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : baseDirectory.appendingPathComponent(path)
            guard url.pathExtension == "npy" else {
                throw fail(key, "expected an inline array or a .npy path, got \"\(path)\"")
            }
            do {
                return try NDArray(npyFile: url.path)
            } catch {
                throw fail(key, "cannot read \(url.path): \(error)")
            }
        }
        var numbers: [Double] = []
        var flags: [Bool] = []
        /// Collects the values in row-major order and appends the shape of `node` to `current`.
        func walk(_ node: ConfigValue, into current: inout [Int]) throws {
            switch node {
            case .array(let elements):
                current.append(elements.count)
                var childShape: [Int]?
                for element in elements {
                    var inner: [Int] = []
                    try walk(element, into: &inner)
                    if let childShape, childShape != inner {
                        throw fail(key, "expected a rectangular array (rows of equal length)")
                    }
                    childShape = inner
                }
                current += childShape ?? []
            case .int, .double:
                guard let number = node.doubleValue else { return }
                numbers.append(number)
            case .bool(let flag) where booleans:
                flags.append(flag)
            default:
                throw fail(
                    key,
                    "expected numbers\(booleans ? " or booleans" : "") in a nested array, found \(node.kindDescription)"
                )
            }
        }
        var shape: [Int] = []
        try walk(value, into: &shape)
        if !flags.isEmpty && !numbers.isEmpty { throw fail(key, "expected all booleans or all numbers, found both") }
        if !flags.isEmpty { return try NDArray(flags, shape: shape) }
        if booleans {
            // 0/1 numbers make a uint8 mask (the library rejects other values).
            guard numbers.allSatisfy({ $0 >= 0 && $0 <= 255 && $0.rounded() == $0 }) else {
                throw fail(key, "expected booleans or 0/1 in a nested array")
            }
            return try NDArray(numbers.map { UInt8($0) }, shape: shape)
        }
        return try NDArray(numbers, shape: shape)
    }

    /// Polygons: a list of K×2 arrays (inline, or `.npy` paths), or one `.npy` path of a K×2 or N×K×2 array.
    private func polygons(_ key: String) throws -> [NDArray] {
        let value = try required(key)
        if value.stringValue != nil {
            let array = try self.array(key)
            if array.rank == 3 { return try (0..<array.shape[0]).map { try array.subarray(at: $0) } }
            return [array]
        }
        guard let elements = value.arrayValue else {
            throw fail(key, "expected a list of K×2 arrays, found \(value.kindDescription)")
        }
        return try elements.enumerated().map { index, element in
            let reader = DrawOperation(
                index: self.index, name: name, arguments: ["\(key)[\(index)]": element], baseDirectory: baseDirectory)
            return try reader.array("\(key)[\(index)]")
        }
    }

    private func number(_ key: String) throws -> Double? {
        guard let value = arguments[key], !value.isNull else { return nil }
        guard let number = value.doubleValue else {
            throw fail(key, "expected a number, found \(value.kindDescription)")
        }
        return number
    }

    private func string(_ key: String) throws -> String? {
        guard let value = arguments[key], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw fail(key, "expected a string, found \(value.kindDescription)") }
        return text
    }

    /// One value or a list, each element read by `read`.
    private func perItem<Value>(_ key: String, _ read: (ConfigValue, String) throws -> Value) throws -> PerItem<Value>?
    {
        guard let value = arguments[key], !value.isNull else { return nil }
        if let elements = value.arrayValue {
            return .each(try elements.enumerated().map { try read($1, "\(key)[\($0)]") })
        }
        return .all(try read(value, key))
    }

    private func numbers(_ key: String) throws -> PerItem<Double>? {
        try perItem(key) { value, location in
            guard let number = value.doubleValue else {
                throw fail(location, "expected a number, found \(value.kindDescription)")
            }
            return number
        }
    }

    private func parsed<Value>(_ key: String, _ parse: (String) throws -> Value) throws -> PerItem<Value>? {
        try perItem(key) { value, location in
            guard let text = value.stringValue else {
                throw fail(location, "expected a string, found \(value.kindDescription)")
            }
            do {
                return try parse(text)
            } catch {
                throw fail(location, Self.expectation(of: error))
            }
        }
    }

    private func lineStyles(_ key: String) throws -> PerItem<LineStyle>? {
        try parsed(key) { try LineStyle(parsing: $0) }
    }

    /// `[r, g, b]` (3 or 4 numbers) is one colour; any other list is one colour per item.
    private func isColorTuple(_ value: ConfigValue) -> Bool {
        guard let elements = value.arrayValue, elements.count == 3 || elements.count == 4 else { return false }
        return elements.allSatisfy { $0.doubleValue != nil }
    }

    private func colors(_ key: String) throws -> PerItem<Color>? {
        guard let value = arguments[key], !value.isNull else { return nil }
        func read(_ node: ConfigValue, _ location: String) throws -> Color {
            do {
                if let text = node.stringValue { return try Color(parsing: text, argument: location) }
                if isColorTuple(node), let channels = node.arrayValue?.compactMap(\.doubleValue) {
                    return try Color(rgbTuple: channels, argument: location)
                }
            } catch {
                throw fail(location, Self.expectation(of: error))
            }
            throw fail(
                location, "expected a colour string or [r, g, b] with channels 0-255, found \(node.kindDescription)")
        }
        if isColorTuple(value) { return .all(try read(value, key)) }
        return try perItem(key, read)
    }

    /// Mask colours: strings truncate as MMEngine's `color_str2rgb`; `[r, g, b]` channels are cast to uint8.
    private func maskColors(_ key: String) throws -> PerItem<MaskColor>? {
        guard let value = arguments[key], !value.isNull else { return nil }
        func read(_ node: ConfigValue, _ location: String) throws -> MaskColor {
            if let text = node.stringValue { return .named(text) }
            if let elements = node.arrayValue, elements.count == 3, elements.allSatisfy({ $0.doubleValue != nil }) {
                let channels = elements.compactMap(\.doubleValue)
                guard channels.allSatisfy({ $0 >= 0 && $0 <= 255 }) else {
                    throw fail(location, "expected [r, g, b] with channels 0-255, got \(channels)")
                }
                return .rgb(Color(red: UInt8(channels[0]), green: UInt8(channels[1]), blue: UInt8(channels[2])))
            }
            throw fail(
                location, "expected a colour string or [r, g, b] with channels 0-255, found \(node.kindDescription)")
        }
        if isColorTuple(value) { return .all(try read(value, key)) }
        return try perItem(key, read)
    }

    private func texts(_ key: String) throws -> [String] {
        let value = try required(key)
        if let text = value.stringValue { return [text] }
        guard let elements = value.arrayValue else {
            throw fail(key, "expected a string or a list of strings, found \(value.kindDescription)")
        }
        return try elements.enumerated().map { index, element in
            guard let text = element.stringValue else {
                throw fail("\(key)[\(index)]", "expected a string, found \(element.kindDescription)")
            }
            return text
        }
    }

    /// `font_properties` (font file paths, relative to the ops file) wins over `font_families`.
    private func fonts() throws -> PerItem<FontSpec>? {
        if let files = try perItem(
            "font_properties",
            { value, location -> FontSpec in
                guard let path = value.stringValue else {
                    throw fail(location, "expected a font file path, found \(value.kindDescription)")
                }
                let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : baseDirectory.appendingPathComponent(path)
                return .file(url.path)
            })
        {
            return files
        }
        return try parsed("font_families") { FontSpec(family: $0) }
    }

    /// MMEngine's `bboxes` dicts: `facecolor`/`fc`, `edgecolor`/`ec`, `alpha`, `pad` (points), `linewidth`.
    private func backgrounds(_ key: String) throws -> PerItem<TextBackground>? {
        try perItem(key) { value, location in
            guard let entries = value.dictionaryValue else {
                throw fail(
                    location, "expected a dict of facecolor, edgecolor, alpha, pad, found \(value.kindDescription)")
            }
            let known = ["facecolor", "fc", "edgecolor", "ec", "alpha", "pad", "linewidth", "lw", "boxstyle"]
            if let unknown = entries.keys.first(where: { !known.contains($0) }) {
                throw fail("\(location).\(unknown)", "unknown key; expected one of \(known.joined(separator: ", "))")
            }
            if let style = entries["boxstyle"], style.stringValue != "square" {
                throw fail("\(location).boxstyle", "only \"square\" (the default) is supported")
            }
            let reader = DrawOperation(index: index, name: name, arguments: entries, baseDirectory: baseDirectory)
            func color(_ keys: [String]) throws -> Color? {
                guard let key = keys.first(where: { entries[$0] != nil }) else { return nil }
                let colors = try DrawOperation(
                    index: index, name: name, arguments: ["\(location).\(key)": entries[key] ?? .null],
                    baseDirectory: baseDirectory
                ).colors("\(location).\(key)")
                guard case .all(let color)? = colors else { throw fail("\(location).\(key)", "expected one colour") }
                return color
            }
            var background = TextBackground()
            if let face = try color(["facecolor", "fc"]) { background.faceColor = face }
            if let edge = try color(["edgecolor", "ec"]) { background.edgeColor = edge }
            background.alpha = try reader.number("alpha")
            if let pad = try reader.number("pad") { background.padPoints = pad }
            if let width = try reader.number("linewidth") ?? reader.number("lw") { background.lineWidthPoints = width }
            return background
        }
    }

    /// "expected …, got …" from a lower module's argument error.
    static func expectation(of error: any Error) -> String {
        switch error {
        case VisCoreError.invalidArgument(_, let expected, let actual),
            VisDrawError.invalidArgument(_, let expected, let actual),
            VisualizerError.invalidArgument(_, let expected, let actual):
            return "expected \(expected), got \(actual)"
        default:
            return "\(error)"
        }
    }
}

/// Reading an ops file.
enum DrawOperations {
    /// The calls of the ops file at `path`.
    ///
    /// - Throws: ``DrawOpsError`` naming the file for unreadable or invalid JSON, or the call at fault.
    static func load(path: String) throws -> [DrawOperation] {
        let text: String
        do {
            text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        } catch {
            throw DrawOpsError(location: "--ops", message: "cannot read \(path): \(error.localizedDescription)")
        }
        // The config parser wants a mapping at the top: wrap the array on its first line, so line numbers hold.
        let root: ConfigValue
        do {
            let config = try Config(text: "{\"ops\": " + text + "\n}", format: .json, source: path)
            root = config.values["ops"] ?? .null
        } catch {
            throw DrawOpsError(location: "--ops", message: "\(error)")
        }
        guard let elements = root.arrayValue else {
            throw DrawOpsError(
                location: path, message: "expected a JSON array of drawing calls, found \(root.kindDescription)")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try elements.enumerated().map { index, element in
            guard var arguments = element.dictionaryValue else {
                throw DrawOpsError(
                    location: "ops[\(index)]",
                    message: "expected an object with \"op\", found \(element.kindDescription)")
            }
            guard let name = arguments.removeValue(forKey: "op")?.stringValue else {
                throw DrawOpsError(
                    location: "ops[\(index)].op", message: "missing: name the call, e.g. \"draw_bboxes\"")
            }
            let operation = DrawOperation(index: index, name: name, arguments: arguments, baseDirectory: base)
            guard let signature = DrawOperation.signatures[name] else {
                throw operation.unknownCall()
            }
            let known = Set(signature.map(\.mmengine))
            if let unknown = arguments.keys.first(where: { !known.contains($0) }) {
                throw operation.fail(
                    unknown,
                    "unknown argument of \(name); expected one of \(signature.map(\.mmengine).joined(separator: ", "))")
            }
            return operation
        }
    }
}
