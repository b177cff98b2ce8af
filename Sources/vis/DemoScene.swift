import Foundation
import Visualization

/// The picture `vis demo` annotates: a small outdoor scene painted procedurally (sky, sun, hills, a road, a tree,
/// a person, a dog and a car), with the ground truth a detector would be scored against — boxes, instance masks,
/// the road's outline and the person's keypoints.
struct DemoScene {
    /// One annotated object.
    struct Object {
        var label: String
        var score: Double
        /// (x1, y1, x2, y2).
        var box: [Double]
        /// H×W, true inside the object; nil for objects without a mask.
        var mask: [Bool]?
    }

    static let width = 960
    static let height = 600
    static let horizon = 330.0

    var image: Image
    var objects: [Object]
    /// The road's outline (a segmentation polygon).
    var road: [[Double]]
    /// The person's 13 keypoints (head, shoulders, elbows, hands, hips, knees, feet) and the skeleton's bones as
    /// pairs of keypoint indices.
    var keypoints: [[Double]]
    var bones: [(Int, Int)]
    /// The sun's centre and radius.
    var sun: (x: Double, y: Double, radius: Double)
    /// The car's wheel centres and radius.
    var wheels: [[Double]]
    var wheelRadius: Double

    // swiftlint:disable:next function_body_length
    static func make() throws -> DemoScene {
        var canvas = try Canvas(width: width, height: height)
        let (w, h) = (Double(width), Double(height))
        try paintBackground(on: &canvas)

        // Sun with a soft halo.
        let sun = (x: 790.0, y: 105.0, radius: 42.0)
        for step in stride(from: 5, through: 1, by: -1) {
            try canvas.fillCircle(
                center: Point(sun.x, sun.y), radius: sun.radius + Double(step) * 14,
                color: Color(red: 255, green: 240, blue: 190), opacity: 0.07)
        }
        try canvas.fillCircle(
            center: Point(sun.x, sun.y), radius: sun.radius, color: Color(red: 255, green: 236, blue: 160))

        // Clouds: overlapping ellipses.
        for (cx, cy, scale) in [(190.0, 90.0, 1.0), (470, 60, 0.8), (600, 150, 0.6)] {
            for (dx, dy, rx, ry) in [(-40.0, 8.0, 46.0, 24.0), (0, -8, 52, 32), (44, 6, 42, 24), (8, 14, 70, 20)] {
                try canvas.fillEllipse(
                    center: Point(cx + dx * scale, cy + dy * scale), radiusX: rx * scale, radiusY: ry * scale,
                    color: Color(red: 250, green: 252, blue: 255), opacity: 0.85)
            }
        }

        // Hills: far and near, sine-shaped ridges.
        for (base, amplitude, period, phase, color) in [
            (horizon - 55, 28.0, 330.0, 0.6, Color(red: 128, green: 160, blue: 140)),
            (horizon - 18, 20.0, 210.0, 2.1, Color(red: 96, green: 140, blue: 100)),
        ] {
            var ridge = stride(from: 0.0, through: w, by: 8).map { x in
                Point(x, base - amplitude * (0.5 + 0.5 * sin(x / period * 2 * .pi + phase)))
            }
            ridge += [Point(w, horizon + 2), Point(0, horizon + 2)]
            try canvas.fillPolygon(ridge, color: color)
        }
        try paintGround(on: &canvas)

        // The road, narrowing to the horizon, with a dashed centre line.
        // The bottom edge stays inside the image (y < height), so the annotation is not "out of bounds".
        let road: [[Double]] = [[300, h - 0.5], [720, h - 0.5], [512, horizon], [478, horizon]]
        try canvas.fillPolygon(road.map { Point($0[0], $0[1]) }, color: Color(red: 92, green: 92, blue: 98))
        try canvas.drawLine(
            from: Point(510, h), to: Point(495, horizon + 4),
            style: StrokeStyle(lineWidth: 5, dash: try DashPattern(intervals: [26, 20])),
            color: Color(red: 235, green: 235, blue: 225))

        // A tree on the left.
        let trunk = Path.rect(x: 138, y: 250, width: 26, height: 140)
        try canvas.fill(trunk, color: Color(red: 110, green: 78, blue: 50))
        var canopy = Path()
        for (dx, dy, radius) in [(-48.0, 0.0, 48.0), (44, -6, 50), (0, -44, 58), (-4, 16, 46)] {
            canopy.addPath(try Path.circle(center: Point(151 + dx, 215 + dy), radius: radius))
        }
        try canvas.fill(canopy, color: Color(red: 46, green: 110, blue: 52))
        for (dx, dy) in [(-30.0, -20.0), (20, -50), (40, 10)] {
            try canvas.fillCircle(
                center: Point(151 + dx, 215 + dy), radius: 20, color: Color(red: 70, green: 140, blue: 70), opacity: 0.6
            )
        }

        // A person walking on the grass.
        let skin = Color(red: 236, green: 196, blue: 164)
        let keypoints: [[Double]] = [
            [300, 352],  // 0 head
            [286, 380], [316, 380],  // 1-2 shoulders
            [276, 412], [328, 410],  // 3-4 elbows
            [272, 440], [338, 436],  // 5-6 hands
            [291, 446], [311, 446],  // 7-8 hips
            [286, 484], [318, 482],  // 9-10 knees
            [280, 522], [326, 520],  // 11-12 feet
        ]
        let bones = [
            (0, 1), (0, 2), (1, 3), (3, 5), (2, 4), (4, 6), (1, 7), (2, 8), (7, 8), (7, 9), (9, 11), (8, 10), (10, 12),
        ]
        let limb = StrokeStyle(lineWidth: 11, join: .round, cap: .round)
        let p = { (index: Int) in Point(keypoints[index][0], keypoints[index][1]) }
        var legs = Path()
        legs.move(to: p(7))
        legs.addLine(to: p(9))
        legs.addLine(to: p(11))
        legs.move(to: p(8))
        legs.addLine(to: p(10))
        legs.addLine(to: p(12))
        var arms = Path()
        arms.move(to: p(1))
        arms.addLine(to: p(3))
        arms.addLine(to: p(5))
        arms.move(to: p(2))
        arms.addLine(to: p(4))
        arms.addLine(to: p(6))
        let torso = Path.polygon([Point(282, 374), Point(320, 374), Point(316, 450), Point(286, 450)])
        var person = Path()
        person.addPath(torso)
        person.addPath(try Path.circle(center: p(0), radius: 15))
        try canvas.stroke(legs, style: limb, color: Color(red: 44, green: 52, blue: 78))
        try canvas.fill(torso, color: Color(red: 52, green: 96, blue: 176))
        try canvas.stroke(arms, style: limb, color: Color(red: 52, green: 96, blue: 176))
        for hand in [p(5), p(6)] { try canvas.fillCircle(center: hand, radius: 6, color: skin) }
        try canvas.fillCircle(center: p(0), radius: 15, color: skin)
        try canvas.fill(
            Path.polygon([Point(285, 350), Point(290, 337), Point(306, 335), Point(316, 346), Point(300, 342)]),
            color: Color(red: 70, green: 48, blue: 36))

        // A dog beside the person.
        let dogColor = Color(red: 168, green: 112, blue: 62)
        var dog = Path()
        dog.addPath(try Path.ellipse(center: Point(392, 486), radiusX: 34, radiusY: 15))
        dog.addPath(try Path.circle(center: Point(426, 468), radius: 12))
        dog.addPath(Path.polygon([Point(430, 470), Point(446, 474), Point(444, 482), Point(428, 480)]))
        var dogLegs = Path()
        for x in [366.0, 378, 404, 416] {
            dogLegs.move(to: Point(x, 492))
            dogLegs.addLine(to: Point(x + 1, 516))
        }
        dogLegs.move(to: Point(360, 480))
        dogLegs.addLine(to: Point(346, 466))
        try canvas.stroke(dogLegs, style: StrokeStyle(lineWidth: 6, cap: .round), color: dogColor)
        try canvas.fill(dog, color: dogColor)
        try canvas.fill(
            Path.polygon([Point(418, 458), Point(424, 452), Point(428, 462)]),
            color: Color(red: 120, green: 76, blue: 40))
        try canvas.fillCircle(center: Point(430, 465), radius: 2, color: Color(red: 20, green: 20, blue: 20))

        // A car on the road.
        let body = Path.polygon([
            Point(492, 470), Point(506, 446), Point(552, 440), Point(580, 408), Point(664, 406), Point(694, 440),
            Point(722, 448), Point(728, 470), Point(724, 500), Point(496, 500),
        ])
        let wheelRadius = 22.0
        let wheels: [[Double]] = [[548, 502], [672, 502]]
        try canvas.fillEllipse(
            center: Point(610, 522), radiusX: 130, radiusY: 10, color: Color(red: 40, green: 40, blue: 44), opacity: 0.5
        )
        try canvas.fill(body, color: Color(red: 200, green: 38, blue: 42))
        try canvas.fill(
            Path.polygon([Point(590, 414), Point(624, 413), Point(624, 440), Point(566, 441)]),
            color: Color(red: 176, green: 208, blue: 230))
        try canvas.fill(
            Path.polygon([Point(632, 413), Point(660, 413), Point(682, 440), Point(632, 440)]),
            color: Color(red: 176, green: 208, blue: 230))
        try canvas.fillRect(x: 712, y: 456, width: 12, height: 8, color: Color(red: 255, green: 230, blue: 140))
        var car = body
        for wheel in wheels {
            let center = Point(wheel[0], wheel[1])
            try canvas.fillCircle(center: center, radius: wheelRadius, color: Color(red: 30, green: 30, blue: 32))
            try canvas.fillCircle(center: center, radius: 10, color: Color(red: 170, green: 170, blue: 175))
            car.addPath(try Path.circle(center: center, radius: wheelRadius))
        }

        func mask(_ path: Path) throws -> [Bool] {
            let coverage = try canvas.coverageMask(filling: path)
            var bits = [Bool](repeating: false, count: width * height)
            for row in 0..<coverage.height {
                for column in 0..<coverage.width where coverage.coverage[row * coverage.width + column] >= 128 {
                    bits[(coverage.originY + row) * width + coverage.originX + column] = true
                }
            }
            return bits
        }
        var personOutline = person
        personOutline.addPath(try Path.circle(center: p(5), radius: 6))
        let objects = [
            Object(label: "person", score: 0.98, box: [263, 335, 345, 530], mask: try mask(personOutline)),
            Object(label: "dog", score: 0.93, box: [340, 450, 448, 521], mask: try mask(dog)),
            Object(label: "car", score: 0.96, box: [490, 404, 730, 526], mask: try mask(car)),
            Object(label: "树 tree", score: 0.88, box: [54, 112, 246, 391], mask: nil),
        ]
        return DemoScene(
            image: canvas.image, objects: objects, road: road, keypoints: keypoints, bones: bones, sun: sun,
            wheels: wheels, wheelRadius: wheelRadius)
    }

    /// A stand-in for a backbone's feature map: C×(H/8)×(W/8) `float32`, one channel per masked object (the
    /// share of each 8×8 cell the object covers, blurred like a receptive field) plus one of image edges. Averaged
    /// over channels (MMEngine's `squeeze_mean`) it lights up where the objects are.
    func featureMap(stride: Int = 8) throws -> NDArray {
        let (rows, columns) = (DemoScene.height / stride, DemoScene.width / stride)
        var channels: [[Float]] = []
        for object in objects {
            guard let mask = object.mask else { continue }
            var plane = [Float](repeating: 0, count: rows * columns)
            for row in 0..<rows {
                for column in 0..<columns {
                    var covered = 0
                    for y in (row * stride)..<((row + 1) * stride) {
                        for x in (column * stride)..<((column + 1) * stride) where mask[y * DemoScene.width + x] {
                            covered += 1
                        }
                    }
                    plane[row * columns + column] = Float(covered) / Float(stride * stride)
                }
            }
            channels.append(DemoScene.blurred(plane, rows: rows, columns: columns, passes: 2))
        }
        var edges = [Float](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for column in 0..<columns {
                let x = column * stride + stride / 2
                let y = row * stride + stride / 2
                let here = Float(image[x, y, 1])
                let right = Float(image[min(x + stride / 2, DemoScene.width - 1), y, 1])
                let below = Float(image[x, min(y + stride / 2, DemoScene.height - 1), 1])
                // Weak, as a deep layer's edge response would be next to its object channels.
                edges[row * columns + column] = 0.3 * (abs(right - here) + abs(below - here)) / 255
            }
        }
        channels.append(edges)
        return try NDArray(channels.flatMap { $0 }, shape: [channels.count, rows, columns])
    }

    /// A 3×3 box blur repeated `passes` times.
    private static func blurred(_ plane: [Float], rows: Int, columns: Int, passes: Int) -> [Float] {
        var current = plane
        for _ in 0..<passes {
            var next = current
            for row in 0..<rows {
                for column in 0..<columns {
                    var sum: Float = 0
                    var count: Float = 0
                    for dy in -1...1 {
                        for dx in -1...1 {
                            let (y, x) = (row + dy, column + dx)
                            guard y >= 0, y < rows, x >= 0, x < columns else { continue }
                            sum += current[y * columns + x]
                            count += 1
                        }
                    }
                    next[row * columns + column] = sum / count
                }
            }
            current = next
        }
        return current
    }

    /// Sky: a vertical gradient from deep blue to a pale horizon.
    private static func paintBackground(on canvas: inout Canvas) throws {
        let rows = Int(horizon) + 4
        for y in 0..<rows {
            let t = Double(y) / Double(rows)
            let color = Color(
                red: UInt8(92 + 118 * t), green: UInt8(146 + 80 * t), blue: UInt8(214 + 24 * t))
            try canvas.fillRect(x: 0, y: Double(y), width: Double(width), height: 1, color: color)
        }
    }

    /// Grass: a gradient with a deterministic speckle, so it looks like a photo rather than flat colour.
    private static func paintGround(on canvas: inout Canvas) throws {
        var state: UInt32 = 2024
        let top = Int(horizon)
        canvas.image.pixels.withUnsafeMutableBufferPointer { pixels in
            for y in top..<height {
                let t = Double(y - top) / Double(height - top)
                for x in 0..<width {
                    state = state &* 1_664_525 &+ 1_013_904_223
                    let noise = Double(Int(state >> 27)) - 16
                    let index = (y * width + x) * 3
                    pixels[index] = UInt8(min(max(104 - 46 * t + noise * 0.6, 0), 255))
                    pixels[index + 1] = UInt8(min(max(150 - 40 * t + noise, 0), 255))
                    pixels[index + 2] = UInt8(min(max(78 - 30 * t + noise * 0.5, 0), 255))
                }
            }
        }
    }
}
