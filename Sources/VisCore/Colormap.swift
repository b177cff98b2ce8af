/// A 256-entry colour lookup table that turns `UInt8` intensities into RGB, as used for feature-map heatmaps.
///
/// - ``jet`` is OpenCV's `COLORMAP_JET` (what MMEngine's `draw_featmap` uses), which is not matplotlib's `jet`.
/// - ``viridis``, ``magma`` and ``gray`` are matplotlib's tables quantised as matplotlib quantises them
///   (`cmap(np.arange(256), bytes=True)`, which truncates; so matplotlib's `gray` maps 33 to 32).
///
/// ```swift
/// Colormap.jet.color(at: 0)          // (0, 0, 128)
/// let heat = try Colormap.jet.apply(to: try featmap.minMaxNormalizedToUInt8())
/// ```
public struct Colormap: Sendable, Hashable, CustomStringConvertible {
    /// The table's name (`"jet"`, `"viridis"`, ...).
    public let name: String
    /// 256 RGB triplets, 768 bytes: entry `i` is at `3i..<3i+3`.
    public let rgbTable: [UInt8]

    /// Creates a colour map from 768 bytes (256 RGB triplets).
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `rgbTable` when it is not 768
    ///   bytes long.
    public init(name: String, rgbTable: [UInt8]) throws {
        guard rgbTable.count == 768 else {
            throw VisCoreError.invalidArgument(
                argument: "rgbTable", expected: "768 bytes (256 RGB triplets)", actual: "\(rgbTable.count) bytes")
        }
        self.name = name
        self.rgbTable = rgbTable
    }

    /// Creates a colour map from 256 colours (alpha is ignored).
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `colors` when there are not
    ///   256 of them.
    public init(name: String, colors: [Color]) throws {
        guard colors.count == 256 else {
            throw VisCoreError.invalidArgument(argument: "colors", expected: "256 colours", actual: "\(colors.count)")
        }
        try self.init(name: name, rgbTable: colors.flatMap { [$0.red, $0.green, $0.blue] })
    }

    /// The built-in map called `name` (case-insensitive): one of ``builtIn``'s names.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `name` for other names.
    public init(named name: String) throws {
        guard let map = Colormap.builtIn.first(where: { $0.name == name.lowercased() }) else {
            throw VisCoreError.invalidArgument(
                argument: "name", expected: "one of " + Colormap.builtIn.map(\.name).joined(separator: ", "),
                actual: "\"\(name)\"")
        }
        self = map
    }

    /// OpenCV `COLORMAP_JET` in RGB order: dark blue (0,0,128) → blue → cyan → yellow → red → dark red (128,0,0).
    public static let jet = Colormap(_name: "jet", hex: _jetHex)
    /// matplotlib's perceptually uniform `viridis`.
    public static let viridis = Colormap(_name: "viridis", hex: _viridisHex)
    /// matplotlib's perceptually uniform `magma`.
    public static let magma = Colormap(_name: "magma", hex: _magmaHex)
    /// matplotlib's `gray` (black → white; its byte quantisation makes a few entries one less than the index).
    public static let gray = Colormap(_name: "gray", hex: _grayHex)
    /// Every built-in map.
    public static let builtIn: [Colormap] = [.jet, .viridis, .magma, .gray]

    /// The colour for intensity `index`, opaque.
    @inlinable
    public func color(at index: UInt8) -> Color {
        let offset = Int(index) * 3
        return Color(red: rgbTable[offset], green: rgbTable[offset + 1], blue: rgbTable[offset + 2])
    }

    /// Colours a row-major plane of intensities into an RGB image.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `plane` when its length is
    ///   not `width·height`, or `width`/`height` when negative.
    public func apply(to plane: [UInt8], width: Int, height: Int) throws -> Image {
        try Image.validate(width: width, height: height, layout: .rgb)
        guard plane.count == width * height else {
            throw VisCoreError.invalidArgument(
                argument: "plane", expected: "\(width * height) values (\(height)×\(width))",
                actual: "\(plane.count) values")
        }
        return Image(_unchecked: width, height: height, layout: .rgb, pixels: _lookUp(plane))
    }

    /// Colours a gray image into an RGB image of the same size.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `image` unless it is gray.
    public func apply(to image: Image) throws -> Image {
        guard image.layout == .gray else {
            throw VisCoreError.invalidArgument(argument: "image", expected: "a gray image", actual: "\(image.layout)")
        }
        return Image(_unchecked: image.width, height: image.height, layout: .rgb, pixels: _lookUp(image.pixels))
    }

    /// Colours a 2-D `uint8` array (H×W, e.g. from ``NDArray/minMaxNormalizedToUInt8()``) into an RGB image.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `array` unless it is 2-D
    ///   `uint8`.
    public func apply(to array: NDArray) throws -> Image {
        guard array.rank == 2, let values = array.values(as: UInt8.self) else {
            throw VisCoreError.invalidArgument(
                argument: "array", expected: "a 2-D uint8 array (H×W)", actual: "\(array.dtype) shape \(array.shape)")
        }
        return try apply(to: values, width: array.shape[1], height: array.shape[0])
    }

    public var description: String { "Colormap(\(name))" }

    private func _lookUp(_ plane: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: plane.count * 3) { output, initialized in
            rgbTable.withUnsafeBufferPointer { table in
                plane.withUnsafeBufferPointer { input in
                    for (index, value) in input.enumerated() {
                        let entry = Int(value) * 3
                        output[index * 3] = table[entry]
                        output[index * 3 + 1] = table[entry + 1]
                        output[index * 3 + 2] = table[entry + 2]
                    }
                }
            }
            initialized = plane.count * 3
        }
    }

    /// A built-in table from the hex lines in `Colormap+Tables.swift` (their length is checked by the tests).
    private init(_name name: String, hex lines: [String]) {
        var table: [UInt8] = []
        table.reserveCapacity(768)
        for line in lines {
            let digits = Array(line.utf8)
            for index in stride(from: 0, to: digits.count - 1, by: 2) {
                table.append(Colormap._hexValue(digits[index]) << 4 | Colormap._hexValue(digits[index + 1]))
            }
        }
        self.name = name
        self.rgbTable = table
    }

    private static func _hexValue(_ digit: UInt8) -> UInt8 {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        default: return 0
        }
    }
}
