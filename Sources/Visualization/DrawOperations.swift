import Foundation
import VisBackends
import VisCore
import VisDraw

/// An error in a `vis draw` ops file or argument, printed as `location: message` (`ops[2].bboxes: expected …`).
public struct DrawOpsError: LocalizedError, CustomStringConvertible, Sendable {
    /// Where the error is: the call and argument (`ops[2].bboxes`), the file, or a command-line flag (`--ops`).
    public let location: String
    /// What is wrong, usually "expected …, got …".
    public let message: String

    /// An error at `location`.
    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
    public var errorDescription: String? { description }
}

/// One drawing call of a `vis draw` ops file (MMEngine's method and argument names), decoded with
/// `ConfigValueDecoder` from its JSON object; ``DrawOperations`` reads a whole file.
public struct DrawOperation: Decodable, Sendable {
    /// The call's position in the file.
    public let index: Int
    /// The MMEngine method name (`draw_bboxes`).
    public let name: String
    /// The call's arguments as written (without `op`), to name them in the library's errors.
    public let arguments: OrderedDictionary<String, ConfigValue>
    /// The decoded arguments.
    private let call: Call

    private enum Call: Sendable {
        case boxes(NDArray, ShapeStyle)
        case polygons([NDArray], ShapeStyle)
        case circles(centers: NDArray, radii: NDArray, ShapeStyle)
        case lines(x: NDArray, y: NDArray, colors: PerItem<Color>?, lineStyles: PerItem<LineStyle>?,
            lineWidths: PerItem<Double>?)
        case points(NDArray, colors: PerItem<Color>?, marker: PointMarker?, sizes: PerItem<Double>?)
        case texts(TextsArguments)
        case masks(NDArray, colors: PerItem<MaskColor>?, alphas: PerItem<Double>?)
    }

    /// The style arguments of `draw_bboxes`, `draw_polygons` and `draw_circles`.
    private struct ShapeStyle: Sendable {
        var edgeColors: PerItem<Color>?
        var lineStyles: PerItem<LineStyle>?
        var lineWidths: PerItem<Double>?
        var faceColors: PerItem<Color>?
        var alpha: Double?

        init(_ container: KeyedDecodingContainer<Key>) throws {
            edgeColors = try container.perItem(Color.self, forKey: .edgeColors, single: isOneColor)
            lineStyles = try container.perItem(Parsed<LineStyle>.self, forKey: .lineStyles)?.map(\.value)
            lineWidths = try container.perItem(Double.self, forKey: .lineWidths)
            faceColors = try container.perItem(Color.self, forKey: .faceColors, single: isOneColor)
            alpha = try container.decodeIfPresent(Double.self, forKey: .alpha)
        }
    }

    private struct TextsArguments: Sendable {
        var texts: [String]
        var positions: NDArray
        var fontSizes: PerItem<Double>?
        var colors: PerItem<Color>?
        var verticalAlignments: PerItem<VerticalTextAlignment>?
        var horizontalAlignments: PerItem<HorizontalTextAlignment>?
        var fonts: PerItem<FontSpec>?
        var backgrounds: PerItem<TextBackground>?
    }

    /// MMEngine's argument names, the coding keys of every call.
    fileprivate enum Key: String, CodingKey {
        case op, bboxes, polygons, center, radius, alpha, colors, positions, marker, sizes, texts, alphas
        case edgeColors = "edge_colors", lineStyles = "line_styles", lineWidths = "line_widths"
        case faceColors = "face_colors", xDatas = "x_datas", yDatas = "y_datas", fontSizes = "font_sizes"
        case verticalAlignments = "vertical_alignments", horizontalAlignments = "horizontal_alignments"
        case fontFamilies = "font_families", fontProperties = "font_properties", binaryMasks = "binary_masks"
    }

    /// Each call's arguments, and the Swift argument names (in library errors) they correspond to.
    fileprivate static let signatures: [String: [(mmengine: String, swift: String)]] = {
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

    /// Decodes one call; errors name the call and argument (``DrawOpsError`` or `ConfigDecodingError`).
    public init(from decoder: any Decoder) throws {
        index = decoder.codingPath.last?.intValue ?? 0
        let object = try ConfigValue(from: decoder)
        guard var arguments = object.dictionaryValue else {
            throw ConfigDecodingError(
                .typeMismatch, codingPath: decoder.codingPath, expected: "an object with \"op\"",
                actual: object.kindDescription)
        }
        let container = try decoder.container(keyedBy: Key.self)
        let name = try container.decode(String.self, forKey: .op, whenMissing: "the call's name, e.g. \"draw_bboxes\"")
        arguments.removeValue(forKey: Key.op.rawValue)
        self.name = name
        self.arguments = arguments
        guard let signature = Self.signatures[name] else {
            let known = Self.signatures.keys.sorted().joined(separator: ", ")
            throw DrawOpsError(
                location: "ops[\(index)].op", message: "unknown drawing call \"\(name)\"; expected one of \(known)")
        }
        do {
            try decoder.rejectUnknownKeys([Key.op.rawValue] + signature.map(\.mmengine))
            call = try Self.call(name, container)
        } catch let error as ConfigDecodingError where error.path.count == decoder.codingPath.count + 1 {
            switch error.kind {
            case .unknownKey:
                throw DrawOpsError(
                    location: error.keyPath,
                    message: "unknown argument of \(name); expected \(signature.map(\.mmengine).joined(separator: ", "))")
            case .missing:
                throw DrawOpsError(location: error.keyPath, message: "missing (required by \(name))")
            case .typeMismatch, .invalidValue:
                throw error
            }
        }
    }

    private static func call(_ name: String, _ container: KeyedDecodingContainer<Key>) throws -> Call {
        func array(_ key: Key) throws -> NDArray { try container.decode(ArrayArgument.self, forKey: key).array }
        let colors = { try container.perItem(Color.self, forKey: .colors, single: isOneColor) }
        switch name {
        case "draw_bboxes":
            return .boxes(try array(.bboxes), try ShapeStyle(container))
        case "draw_polygons":
            let polygons: [NDArray]
            if case .string? = try container.decodeIfPresent(ConfigValue.self, forKey: .polygons) {
                // One file: a K×2 polygon or N×K×2 polygons.
                let stacked = try array(.polygons)
                polygons = stacked.rank == 3
                    ? try (0..<stacked.shape[0]).map { try stacked.subarray(at: $0) } : [stacked]
            } else {
                polygons = try container.decode([ArrayArgument].self, forKey: .polygons).map(\.array)
            }
            return .polygons(polygons, try ShapeStyle(container))
        case "draw_circles":
            return .circles(centers: try array(.center), radii: try array(.radius), try ShapeStyle(container))
        case "draw_lines":
            return .lines(
                x: try array(.xDatas), y: try array(.yDatas), colors: try colors(),
                lineStyles: try container.perItem(Parsed<LineStyle>.self, forKey: .lineStyles)?.map(\.value),
                lineWidths: try container.perItem(Double.self, forKey: .lineWidths))
        case "draw_points":
            return .points(
                try array(.positions), colors: try colors(),
                marker: try container.decodeIfPresent(Parsed<PointMarker>.self, forKey: .marker)?.value,
                sizes: try container.perItem(Double.self, forKey: .sizes))
        case "draw_texts":
            let texts: [String]
            if case .string(let text)? = try container.decodeIfPresent(ConfigValue.self, forKey: .texts) {
                texts = [text]
            } else {
                texts = try container.decode([String].self, forKey: .texts)
            }
            let fonts: PerItem<FontSpec>?
            if let files = try container.perItem(FontFile.self, forKey: .fontProperties) {
                // Font files win over family names, as in MMEngine.
                fonts = files.map(\.spec)
            } else {
                fonts = try container.perItem(String.self, forKey: .fontFamilies)?.map { FontSpec(family: $0) }
            }
            return .texts(
                TextsArguments(
                    texts: texts, positions: try array(.positions),
                    fontSizes: try container.perItem(Double.self, forKey: .fontSizes), colors: try colors(),
                    verticalAlignments: try container.perItem(
                        Parsed<VerticalTextAlignment>.self, forKey: .verticalAlignments)?.map(\.value),
                    horizontalAlignments: try container.perItem(
                        Parsed<HorizontalTextAlignment>.self, forKey: .horizontalAlignments)?.map(\.value),
                    fonts: fonts, backgrounds: try container.perItem(Background.self, forKey: .bboxes)?.map(\.value)))
        case "draw_binary_masks":
            let masks = try container.decode(ArrayArgument.self, forKey: .binaryMasks)
            return .masks(
                masks.array,  // any numbers: non-zero is inside, the library's one mask rule
                colors: try container.perItem(MaskColorArgument.self, forKey: .colors, single: isOneColor)?
                    .map(\.value),
                alphas: try container.perItem(Double.self, forKey: .alphas))
        default:
            throw ConfigDecodingError(
                .invalidValue, codingPath: container.codingPath + [Key.op], expected: "a drawing call",
                actual: "\"\(name)\"")
        }
    }

    private func fail(_ argument: String, _ message: String) -> DrawOpsError {
        DrawOpsError(location: "ops[\(index)].\(argument)", message: message)
    }

    /// Runs the call on `visualizer`, translating the library's errors (which name Swift arguments) into the
    /// file's names.
    ///
    /// - Throws: ``DrawOpsError`` naming the call's argument (`ops[0].edge_colors[1]`), or the drawing error.
    public func run(on visualizer: Visualizer) throws {
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
    private func mmengineName(of argument: String) -> String {
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
        switch call {
        case .boxes(let boxes, let style):
            try visualizer.drawBoundingBoxes(
                boxes, edgeColors: style.edgeColors ?? "g", lineStyles: style.lineStyles ?? .all(.solid),
                lineWidths: style.lineWidths ?? 2, faceColors: style.faceColors ?? .all(.none), alpha: style.alpha ?? 0.8)
        case .polygons(let polygons, let style):
            try visualizer.drawPolygons(
                polygons, edgeColors: style.edgeColors ?? "g", lineStyles: style.lineStyles ?? .all(.solid),
                lineWidths: style.lineWidths ?? 2, faceColors: style.faceColors ?? .all(.none), alpha: style.alpha ?? 0.8)
        case .circles(let centers, let radii, let style):
            try visualizer.drawCircles(
                centers: centers, radii: radii, edgeColors: style.edgeColors ?? "g",
                lineStyles: style.lineStyles ?? .all(.solid), lineWidths: style.lineWidths ?? 2,
                faceColors: style.faceColors ?? .all(.none), alpha: style.alpha ?? 0.8)
        case .lines(let x, let y, let colors, let lineStyles, let lineWidths):
            try visualizer.drawLines(
                xData: x, yData: y, colors: colors ?? "g", lineStyles: lineStyles ?? .all(.solid),
                lineWidths: lineWidths ?? 2)
        case .points(let positions, let colors, let marker, let sizes):
            try visualizer.drawPoints(positions, colors: colors ?? "g", marker: marker ?? .circle, sizes: sizes ?? 36)
        case .texts(let arguments):
            try visualizer.drawTexts(
                arguments.texts, at: arguments.positions, fontSizes: arguments.fontSizes, colors: arguments.colors ?? "g",
                verticalAlignments: arguments.verticalAlignments ?? .all(.top),
                horizontalAlignments: arguments.horizontalAlignments ?? .all(.left),
                fonts: arguments.fonts ?? "sans-serif", backgrounds: arguments.backgrounds)
        case .masks(let masks, let colors, let alphas):
            try visualizer.drawBinaryMasks(masks, colors: colors ?? "g", alphas: alphas ?? 0.8)
        }
    }

    /// "expected …, got …" from a lower module's argument error.
    fileprivate static func expectation(of error: any Error) -> String {
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

// MARK: - Argument types

/// A colour string or `[r, g, b]` (3 or 4 numbers) is one colour; any other list is one colour per item.
private func isOneColor(_ value: ConfigValue) -> Bool {
    guard let elements = value.arrayValue else { return true }
    return (elements.count == 3 || elements.count == 4) && elements.allSatisfy { $0.doubleValue != nil }
}

extension KeyedDecodingContainer {
    /// One value for every item, or a list with one per item; `single` tells a lone value from a list.
    fileprivate func perItem<Value: Decodable & Sendable>(
        _ type: Value.Type, forKey key: Key, single: (ConfigValue) -> Bool = { $0.arrayValue == nil }
    ) throws -> PerItem<Value>? {
        guard let value = try decodeIfPresent(ConfigValue.self, forKey: key) else { return nil }
        return single(value) ? .all(try decode(type, forKey: key)) : .each(try decode([Value].self, forKey: key))
    }
}

/// An array argument: inline nested JSON arrays, or an array file (`.npy`, `.npz#key`, or a `.npz` holding one
/// array) relative to the ops file — read as `vis datasample` reads a sample's arrays.
private struct ArrayArgument: Decodable, Sendable {
    let array: NDArray

    init(from decoder: any Decoder) throws {
        let value = try ConfigValue(from: decoder)
        let resolver = decoder.userInfo[._arrayFileResolver] as? _ArrayFileResolver
            ?? _ArrayFileResolver(baseDirectory: nil)
        array = try _ArrayField.array(value, field: ConfigDecodingError.keyPath(of: decoder.codingPath), resolver: resolver)
    }
}

/// Symbols the library parses (`"--"`, `"s"`, `"center"`).
private protocol ParsableArgument: Sendable {
    init(parsing text: String) throws
}

extension LineStyle: ParsableArgument {}
extension PointMarker: ParsableArgument {}
extension VerticalTextAlignment: ParsableArgument {}
extension HorizontalTextAlignment: ParsableArgument {}

/// A string argument parsed by the library, its errors at the argument's key path.
private struct Parsed<Value: ParsableArgument>: Decodable, Sendable {
    let value: Value

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            value = try Value(parsing: text)
        } catch {
            throw DrawOpsError(
                location: ConfigDecodingError.keyPath(of: decoder.codingPath),
                message: DrawOperation.expectation(of: error))
        }
    }
}

/// A `font_properties` entry: a font file path, relative to the ops file.
private struct FontFile: Decodable, Sendable {
    let spec: FontSpec

    init(from decoder: any Decoder) throws {
        let path = try decoder.singleValueContainer().decode(String.self)
        let base = (decoder.userInfo[._arrayFileResolver] as? _ArrayFileResolver)?.baseDirectory
        spec = .file(path.hasPrefix("/") || base == nil ? path : ((base ?? "") as NSString).appendingPathComponent(path))
    }
}

/// Mask colours: strings truncate as MMEngine's `color_str2rgb`; `[r, g, b]` channels are cast to uint8.
private struct MaskColorArgument: Decodable, Sendable {
    let value: MaskColor

    init(from decoder: any Decoder) throws {
        let node = try ConfigValue(from: decoder)
        if let text = node.stringValue {
            value = .named(text)
            return
        }
        let channels = node.arrayValue?.compactMap(\.doubleValue) ?? []
        guard channels.count == 3, node.arrayValue?.count == 3 else {
            throw ConfigDecodingError(
                .typeMismatch, codingPath: decoder.codingPath,
                expected: "a colour string or [r, g, b] with channels 0-255", actual: node.kindDescription)
        }
        guard channels.allSatisfy({ $0 >= 0 && $0 <= 255 }) else {
            throw ConfigDecodingError(
                .invalidValue, codingPath: decoder.codingPath, expected: "[r, g, b] with channels 0-255",
                actual: node.description)
        }
        value = .rgb(Color(red: UInt8(channels[0]), green: UInt8(channels[1]), blue: UInt8(channels[2])))
    }
}

/// MMEngine's text `bboxes` dicts: `facecolor`/`fc`, `edgecolor`/`ec`, `alpha`, `pad` (points), `linewidth`/`lw`,
/// `boxstyle` (only `"square"`).
private struct Background: Decodable, Sendable {
    let value: TextBackground

    enum Key: String, CodingKey, CaseIterable {
        case facecolor, fc, edgecolor, ec, alpha, pad, linewidth, lw, boxstyle
    }

    init(from decoder: any Decoder) throws {
        let container: KeyedDecodingContainer<Key>
        do {
            container = try decoder.container(keyedBy: Key.self)
        } catch var error as ConfigDecodingError where error.kind == .typeMismatch {
            error.expected = "a dict of facecolor, edgecolor, alpha, pad"
            throw error
        }
        try decoder.rejectUnknownKeys(Key.allCases.map(\.rawValue))
        if let style = try container.decodeIfPresent(String.self, forKey: .boxstyle), style != "square" {
            throw ConfigDecodingError(
                .invalidValue, codingPath: decoder.codingPath + [Key.boxstyle],
                expected: "only \"square\" (the default)", actual: "\"\(style)\"")
        }
        func color(_ keys: Key...) throws -> Color? {
            guard let key = keys.first(where: container.contains) else { return nil }
            return try container.decodeIfPresent(Color.self, forKey: key)
        }
        var background = TextBackground()
        if let face = try color(.facecolor, .fc) { background.faceColor = face }
        if let edge = try color(.edgecolor, .ec) { background.edgeColor = edge }
        background.alpha = try container.decodeIfPresent(Double.self, forKey: .alpha)
        if let pad = try container.decodeIfPresent(Double.self, forKey: .pad) { background.padPoints = pad }
        if let width = try container.decodeIfPresent(Double.self, forKey: container.contains(.linewidth) ? .linewidth : .lw)
        {
            background.lineWidthPoints = width
        }
        value = background
    }
}

/// Reading a `vis draw` ops file: a JSON array of MMEngine drawing calls.
public enum DrawOperations {
    /// The calls of the ops file at `path`; array files and font files are relative to its folder.
    ///
    /// - Throws: ``DrawOpsError`` naming the file for unreadable or invalid JSON, or the call and argument at
    ///   fault (`ops[2].bboxes`).
    public static func load(path: String) throws -> [DrawOperation] {
        let text: String
        do {
            text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        } catch {
            throw DrawOpsError(location: "--ops", message: "cannot read \(path): \(error.localizedDescription)")
        }
        return try decode(
            jsonText: text, source: path, baseDirectory: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// The calls of an ops file's text.
    ///
    /// - Parameters:
    ///   - jsonText: The JSON array of calls.
    ///   - source: The file's name in errors.
    ///   - baseDirectory: The folder relative array and font paths are resolved in; `nil` leaves them relative
    ///     to the working directory.
    /// - Throws: ``DrawOpsError`` for invalid JSON, or naming the call and argument at fault (`ops[2].bboxes`).
    public static func decode(jsonText: String, source: String, baseDirectory: String?) throws -> [DrawOperation] {
        let path = source
        let text = jsonText
        let root: ConfigValue
        do {
            root = try ConfigValue(jsonText: text, source: path)
        } catch {
            throw DrawOpsError(location: "--ops", message: "\(error)")
        }
        guard case .array = root else {
            throw DrawOpsError(
                location: path, message: "expected a JSON array of drawing calls, found \(root.kindDescription)")
        }
        let userInfo: [CodingUserInfoKey: Any] = [._arrayFileResolver: _ArrayFileResolver(baseDirectory: baseDirectory)]
        do {
            return try ConfigValueDecoder(userInfo: userInfo).decode([DrawOperation].self, from: root, codingPath: [.key("ops")])
        } catch let error as ConfigDecodingError {
            throw DrawOpsError(location: error.keyPath, message: error.message)
        } catch DataSampleError.invalidField(let field, let expected, let actual) {
            throw DrawOpsError(location: field, message: "expected \(expected), got \(actual)")
        } catch DataSampleError.arrayFile(let field, let path, let reason) {
            throw DrawOpsError(location: field, message: "cannot read \(path): \(reason)")
        }
    }
}
