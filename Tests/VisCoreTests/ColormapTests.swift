import Testing
@testable import VisCore

@Suite("Colormap")
struct ColormapTests {
    /// The closed form of OpenCV's JET (piecewise linear, 159 the one exception), independent of the embedded table.
    static func jetFormula(_ i: Int) -> (Int, Int, Int) {
        switch i {
        case 0...31: return (0, 0, 128 + 4 * i)
        case 32: return (0, 0, 255)
        case 33...95: return (0, 4 * (i - 32), 255)
        case 96...158: return (4 * (i - 96) + 2, 255, 254 - 4 * (i - 96))
        case 159: return (254, 255, 1)
        case 160...223: return (255, 252 - 4 * (i - 160), 0)
        default: return (252 - 4 * (i - 224), 0, 0)
        }
    }

    @Test func jetMatchesOpenCV() {
        for i in 0...255 {
            let color = Colormap.jet.color(at: UInt8(i))
            let (r, g, b) = Self.jetFormula(i)
            #expect((Int(color.red), Int(color.green), Int(color.blue)) == (r, g, b), "index \(i)")
            #expect(color.alpha == 255)
        }
        #expect(Colormap.jet.color(at: 0) == Color(red: 0, green: 0, blue: 128))
        #expect(Colormap.jet.color(at: 159) == Color(red: 254, green: 255, blue: 1))
        #expect(Colormap.jet.color(at: 255) == Color(red: 128, green: 0, blue: 0))
        // MMEngine's 3-channel branch converts as BGR: pixel (0,0,255) → gray 76, (255,0,0) → gray 29.
        #expect(Colormap.jet.color(at: 85) == Color(red: 0, green: 212, blue: 255))
        #expect(Colormap.jet.color(at: 170) == Color(red: 255, green: 212, blue: 0))
    }

    @Test func matplotlibTables() {
        for map in Colormap.builtIn { #expect(map.rgbTable.count == 768, "\(map)") }
        // Values from matplotlib 3.11 `colormaps[name](i, bytes=True)`.
        #expect(Colormap.viridis.color(at: 0) == Color(red: 68, green: 1, blue: 84))
        #expect(Colormap.viridis.color(at: 128) == Color(red: 32, green: 144, blue: 140))
        #expect(Colormap.viridis.color(at: 255) == Color(red: 253, green: 231, blue: 36))
        #expect(Colormap.magma.color(at: 0) == Color(red: 0, green: 0, blue: 3))
        #expect(Colormap.magma.color(at: 128) == Color(red: 182, green: 54, blue: 121))
        #expect(Colormap.magma.color(at: 255) == Color(red: 251, green: 252, blue: 191))
        #expect(Colormap.gray.color(at: 32) == Color(red: 32, green: 32, blue: 32))
        #expect(Colormap.gray.color(at: 33) == Color(red: 32, green: 32, blue: 32))  // matplotlib's truncation
        #expect(Colormap.gray.color(at: 255) == Color(red: 255, green: 255, blue: 255))
        // Viridis is monotonically brighter in green.
        let greens = (0...255).map { Colormap.viridis.color(at: UInt8($0)).green }
        #expect(zip(greens, greens.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func namedAndCustomMaps() throws {
        #expect(try Colormap(named: "JET") == .jet)
        #expect(try Colormap(named: "viridis").name == "viridis")
        #expect(throws: VisCoreError.self) { try Colormap(named: "rainbow") }
        #expect(throws: VisCoreError.self) { try Colormap(name: "x", rgbTable: [1, 2, 3]) }
        #expect(throws: VisCoreError.self) { try Colormap(name: "x", colors: [.none]) }
        let inverted = try Colormap(name: "inverted", colors: (0...255).map { Color(red: UInt8(255 - $0), green: 0, blue: 0) })
        #expect(inverted.color(at: 10).red == 245)
    }

    @Test func applyToPlaneImageAndArray() throws {
        let plane: [UInt8] = [0, 85, 170, 255]
        let image = try Colormap.jet.apply(to: plane, width: 2, height: 2)
        #expect(image.layout == .rgb && image.width == 2 && image.height == 2)
        // MMEngine's heatmap of [[0,1],[2,3]]: (0,0,128),(0,212,255) / (255,212,0),(128,0,0).
        #expect(image.pixels == [0, 0, 128, 0, 212, 255, 255, 212, 0, 128, 0, 0])
        let gray = try Image(width: 2, height: 2, layout: .gray, pixels: plane)
        #expect(try Colormap.jet.apply(to: gray) == image)
        #expect(try Colormap.jet.apply(to: NDArray(plane, shape: [2, 2])) == image)
        #expect(throws: VisCoreError.self) { try Colormap.jet.apply(to: plane, width: 3, height: 2) }
        #expect(throws: VisCoreError.self) { try Colormap.jet.apply(to: Image(width: 2, height: 2, layout: .rgb)) }
        #expect(throws: VisCoreError.self) { try Colormap.jet.apply(to: NDArray([[0, 1]])) }
    }

    @Test func minMaxNormalisationTruncatesLikeMMEngine() throws {
        let map = try NDArray([[0, 1], [2, 3]] as [[Float]])
        #expect(map.minMaxNormalizedToUInt8().values(as: UInt8.self) == [0, 85, 170, 255])
        #expect(map.minMaxNormalizedToUInt8().shape == [2, 2])
        // (v−min)·255/(max−min) = 76.5 and 178.5 truncate to 76 and 178.
        let halves = try NDArray([0, 0.3, 0.7, 1] as [Float], shape: [4])
        #expect(halves.minMaxNormalizedToUInt8().values(as: UInt8.self) == [0, 76, 178, 255])
        // Constant maps become 0; negative ranges work; float64 maps are computed in Double.
        #expect(try NDArray(repeating: Float(4), shape: [2, 2]).minMaxNormalizedToUInt8().values(as: UInt8.self) == [0, 0, 0, 0])
        #expect(try NDArray([[-2, -1], [0, 2]]).minMaxNormalizedToUInt8().values(as: UInt8.self) == [0, 63, 127, 255])
        // NaN is ignored for the range and maps to 0; integers normalise too.
        let withNaN = try NDArray([Float.nan, 1, 2], shape: [3])
        #expect(withNaN.minMaxNormalizedToUInt8().values(as: UInt8.self) == [0, 0, 255])
        #expect(try NDArray([Int64(10), 20], shape: [2]).minMaxNormalizedToUInt8().values(as: UInt8.self) == [0, 255])
        #expect(try NDArray([Float](), shape: [0]).minMaxNormalizedToUInt8().count == 0)
    }

    @Test("the one-pass finite range equals a plain scan, and is nil for NaN, infinity or no values")
    func finiteRangeMatchesPlainScan() {
        var state: UInt64 = 7
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state) >> 40) / 1000
        }
        for count in 0..<40 {
            let values = (0..<count).map { _ in next() }
            let range = values.withUnsafeBufferPointer { _MinMaxNormalizer<Float>._finiteRange($0) }
            #expect(range?.minimum == values.min() && range?.maximum == values.max(), "\(count) values")
            for poison in [Float.nan, .infinity, -.infinity] where count > 0 {
                for position in [0, count / 2, count - 1] {
                    var poisoned = values
                    poisoned[position] = poison
                    #expect(poisoned.withUnsafeBufferPointer { _MinMaxNormalizer<Float>._finiteRange($0) } == nil)
                }
            }
        }
        let doubles: [Double] = [3, -0.5, 1e300, -1e300, 2, 7]
        let range = doubles.withUnsafeBufferPointer { _MinMaxNormalizer<Double>._finiteRange($0) }
        #expect(range?.minimum == -1e300 && range?.maximum == 1e300)
    }
}
