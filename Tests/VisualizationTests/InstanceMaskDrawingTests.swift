import Foundation
import Testing
import VisCore
@testable import Visualization

/// The detection visualizer's mask drawing (fills, then 1-pixel outlines, each within the mask's bounding box)
/// against a whole-image reference: every pixel of every mask, in order.
@Suite("Instance mask drawing")
struct InstanceMaskDrawingTests {
    static let white = Color(red: 255, green: 255, blue: 255)

    /// The reference: each mask's pixels blended with its colour, in order, then each mask's outline (pixels with
    /// a 4-neighbour outside the mask or on the image border) blended with `outline`, in order.
    static func reference(
        _ image: Image, _ masks: InstanceMasks, colors: [Color], outline: Color, alpha: Double
    ) -> Image {
        var result = image
        let (width, height) = (masks.width, masks.height)
        func blend(_ x: Int, _ y: Int, _ color: Color) {
            let base = (y * width + x) * result.channels
            for (channel, value) in [color.red, color.green, color.blue].enumerated() {
                let pixel = result.pixels[base + channel]
                result.pixels[base + channel] = VisualizerMasksTests.blend(pixel, value, alpha: alpha)
            }
        }
        let bits = masks.bits
        func inside(_ mask: Int, _ x: Int, _ y: Int) -> Bool { bits[(mask * height + y) * width + x] }
        for mask in 0..<masks.count {
            for y in 0..<height { for x in 0..<width where inside(mask, x, y) { blend(x, y, colors[mask]) } }
        }
        for mask in 0..<masks.count {
            for y in 0..<height {
                for x in 0..<width where inside(mask, x, y) {
                    let interior = x > 0 && x < width - 1 && y > 0 && y < height - 1
                        && inside(mask, x - 1, y) && inside(mask, x + 1, y)
                        && inside(mask, x, y - 1) && inside(mask, x, y + 1)
                    if !interior { blend(x, y, outline) }
                }
            }
        }
        return result
    }

    /// Masks that probe the bounding boxes: empty, full, single pixels in the corners and at the plane's ends,
    /// two components far apart, random blobs touching the border.
    static func masks(width: Int, height: Int, extraEmpty: Int = 0, seed: UInt64 = 11) throws -> InstanceMasks {
        let plane = width * height
        var generator = SplitMix64(seed: seed)
        var planes: [[Bool]] = []
        planes.append([Bool](repeating: false, count: plane))
        planes.append([Bool](repeating: true, count: plane))
        for corner in [0, width - 1, plane - width, plane - 1] {
            var single = [Bool](repeating: false, count: plane)
            single[corner] = true
            planes.append(single)
        }
        if width >= 3, height >= 3 {
            var apart = [Bool](repeating: false, count: plane)
            apart[width + 2] = true
            apart[(height - 2) * width + width - 3] = true
            planes.append(apart)
        }
        for _ in 0..<5 {
            let (cx, cy) = (Double(generator.next() % UInt64(width)), Double(generator.next() % UInt64(height)))
            let rx = 1 + Double(generator.next() % UInt64(width / 2 + 1))
            let ry = 1 + Double(generator.next() % UInt64(height / 2 + 1))
            planes.append((0..<plane).map { index in
                let dx = (Double(index % width) - cx) / rx
                let dy = (Double(index / width) - cy) / ry
                // Holes and ragged edges: some pixels of the ellipse are dropped.
                return dx * dx + dy * dy <= 1 && generator.next() % 7 != 0
            })
        }
        for _ in 0..<extraEmpty { planes.append([Bool](repeating: false, count: plane)) }
        var last = [Bool](repeating: false, count: plane)
        last[plane / 2] = true
        planes.append(last)
        return try InstanceMasks(count: planes.count, height: height, width: width, bits: planes.flatMap { $0 })
    }

    static func colors(_ count: Int) -> [Color] {
        (0..<count).map { index -> Color in
            let red = UInt8(37 * index % 256)
            let green = UInt8(255 - 11 * index % 256)
            let blue = UInt8(90 + index % 100)
            return Color(red: red, green: green, blue: blue)
        }
    }

    @Test("Fills then outlines match the whole-image reference, odd sizes, RGB and RGBA", arguments: [
        (37, 29), (1, 1), (1, 9), (9, 1), (64, 3), (3, 64),
    ])
    func matchesReference(size: (Int, Int)) throws {
        let (width, height) = size
        let masks = try Self.masks(width: width, height: height)
        let colors = Self.colors(masks.count)
        let rgb = try DrawingFixture.noise(width: width, height: height)
        let rgba = rgb.converted(to: .rgba)
        for image in [rgb, rgba] {
            let visualizer = try Visualizer(image: image, rank: 0)
            try visualizer._drawInstanceMasks(masks, colors: colors, outlineColor: Self.white, alpha: 0.8)
            let expected = Self.reference(image, masks, colors: colors, outline: Self.white, alpha: 0.8)
            #expect(try visualizer.getImage() == expected, "\(width)×\(height)×\(image.channels)")
        }
    }

    @Test("Planes large enough to be scanned on two cores give the same image")
    func parallelScan() throws {
        // 300×220 planes: 70 of them are over the 4 MiB that splits the scan.
        let masks = try Self.masks(width: 300, height: 220, extraEmpty: 58, seed: 5)
        #expect(masks.count * 300 * 220 >= 1 << 22)
        let colors = Self.colors(masks.count)
        let image = try DrawingFixture.noise(width: 300, height: 220)
        let visualizer = try Visualizer(image: image, rank: 0)
        try visualizer._drawInstanceMasks(masks, colors: colors, outlineColor: Self.white, alpha: 0.6)
        let expectedWithOutlines = Self.reference(image, masks, colors: colors, outline: Self.white, alpha: 0.6)
        #expect(try visualizer.getImage() == expectedWithOutlines)
        // drawBinaryMasks shares the scan: the fills alone, pixel for pixel.
        let fills = try Visualizer(image: image, rank: 0)
        try fills.drawBinaryMasks(masks.array, colors: .each(colors.map { .rgb($0) }), alphas: .all(0.6))
        var expected = image
        let bits = masks.bits
        for mask in 0..<masks.count {
            for index in 0..<(300 * 220) where bits[mask * 300 * 220 + index] {
                for (channel, value) in [colors[mask].red, colors[mask].green, colors[mask].blue].enumerated() {
                    expected.pixels[index * 3 + channel] = VisualizerMasksTests.blend(
                        expected.pixels[index * 3 + channel], value, alpha: 0.6)
                }
            }
        }
        #expect(try fills.getImage() == expected)
    }

    @Test("Only empty masks: nothing is drawn and nothing is checked")
    func onlyEmpty() throws {
        let image = try DrawingFixture.noise(width: 5, height: 4)
        let visualizer = try Visualizer(image: image, rank: 0)
        let empty = try InstanceMasks(count: 3, height: 4, width: 5, bits: [Bool](repeating: false, count: 60))
        try visualizer._drawInstanceMasks(empty, colors: Self.colors(3), outlineColor: Self.white, alpha: 7)
        #expect(try visualizer.getImage() == image)
        // With a pixel to draw, a bad alpha is the same error drawBinaryMasks gives.
        let one = try InstanceMasks(count: 1, height: 4, width: 5, bits: [true] + [Bool](repeating: false, count: 19))
        #expect {
            try visualizer._drawInstanceMasks(one, colors: Self.colors(1), outlineColor: Self.white, alpha: 7)
        } throws: { error in
            guard case VisualizerError.invalidArgument(let argument, _, _) = error else { return false }
            return argument == "alphas[0]"
        }
    }

    @Test("The backward scan finds the last non-zero byte at every offset and length")
    func lastNonZeroByte() {
        for count in 0..<200 {
            // One spare byte, so even a 0-byte scan has an address.
            var bytes = [UInt8](repeating: 0, count: count + 1)
            #expect(bytes.withUnsafeBytes { _lastNonZeroByte($0.baseAddress.unsafelyUnwrapped, count: count) } == nil)
            for position in 0..<count {
                bytes[position] = 1
                bytes[position / 2] = 1
                #expect(bytes.withUnsafeBytes { _lastNonZeroByte($0.baseAddress.unsafelyUnwrapped, count: count) } == position)
                bytes = [UInt8](repeating: 0, count: count + 1)
            }
        }
    }
}
