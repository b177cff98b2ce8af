import Testing
import VisCore

private func rgb(_ color: Color) -> [Int] { [Int(color.red), Int(color.green), Int(color.blue)] }

/// Euclidean distance between two colours in RGB.
private func distance(_ a: Color, _ b: Color) -> Double {
    zip(rgb(a), rgb(b)).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +).squareRoot()
}

private func minimumPairwiseDistance(_ colors: [Color]) -> Double {
    var minimum = Double.infinity
    for i in colors.indices {
        for j in colors.indices where j > i { minimum = min(minimum, distance(colors[i], colors[j])) }
    }
    return minimum
}

@Suite("Color palettes")
struct ColorPalettesTests {
    @Test func builtInSizesAndDistinctness() {
        #expect(ColorPalette.tab10.count == 10)
        #expect(ColorPalette.tab20.count == 20)
        #expect(ColorPalette.coco.count == 80)
        #expect(ColorPalette.detection == ColorPalette.coco)
        for palette in [ColorPalette.tab10, .tab20, .coco] {
            #expect(Set(palette.colors).count == palette.count)
            #expect(palette.colors.allSatisfy { $0.alpha == 255 })
        }
    }

    @Test func tab10IsTheTableauNames() throws {
        let names = ["blue", "orange", "green", "red", "purple", "brown", "pink", "gray", "olive", "cyan"]
        #expect(try ColorPalette.tab10.colors == names.map { try Color(parsing: "tab:\($0)") })
        #expect(rgb(ColorPalette.tab10[0]) == [31, 119, 180])
    }

    @Test func tab20AlternatesTab10AndLighterVariants() {
        let tab20 = ColorPalette.tab20.colors
        #expect(stride(from: 0, to: 20, by: 2).map { tab20[$0] } == ColorPalette.tab10.colors)
        #expect(rgb(tab20[1]) == [174, 199, 232])
        #expect(rgb(tab20[19]) == [158, 218, 229])
        for pair in 0..<10 { #expect(tab20[2 * pair + 1].luminance > tab20[2 * pair].luminance) }
    }

    @Test func cocoMatchesMMDetection() {
        let coco = ColorPalette.coco
        #expect(rgb(coco[0]) == [220, 20, 60])  // person
        #expect(rgb(coco[1]) == [119, 11, 32])  // bicycle
        #expect(rgb(coco[2]) == [0, 0, 142])  // car
        #expect(rgb(coco[40]) == [171, 134, 1])
        #expect(rgb(coco[78]) == [246, 0, 122])
        #expect(rgb(coco[79]) == [191, 162, 208])  // toothbrush
    }

    @Test func subscriptWrapsAround() throws {
        let palette = ColorPalette.tab10
        #expect(palette[10] == palette[0])
        #expect(palette[23] == palette[3])
        #expect(palette[-1] == palette[9])
        #expect(palette[-11] == palette[9])
        #expect(palette[Int.max] == palette[Int.max % 10])
        #expect(palette[Int.min] == palette[(Int.min % 10) + 10])
        let single = try ColorPalette(colors: [.red])
        #expect(single[5] == .red)
        #expect(Color.Palette.coco[80] == ColorPalette.coco[0])
    }

    @Test func emptyPaletteIsRejected() {
        #expect(
            throws: VisCoreError.invalidArgument(
                argument: "colors", expected: "at least one colour", actual: "an empty list")
        ) {
            try ColorPalette(colors: [])
        }
    }

    // MARK: generate

    @Test func generateIsDeterministic() throws {
        let first = try ColorPalette.generate(count: 50, seed: 3)
        let second = try ColorPalette.generate(count: 50, seed: 3)
        #expect(first == second)
        #expect(try ColorPalette.generate(count: 50) == ColorPalette.generate(count: 50, seed: 0))
        #expect(try ColorPalette.generate(count: 10, seed: 4) != ColorPalette.generate(count: 10, seed: 3))
        // A longer palette starts like a shorter one with the same seed.
        #expect(try Array(ColorPalette.generate(count: 200, seed: 3).colors.prefix(50)) == first.colors)
    }

    @Test(arguments: [UInt32(0), 1, 42, 12345, .max])
    func generatedColorsAreFarApart(seed: UInt32) throws {
        #expect(minimumPairwiseDistance(try ColorPalette.generate(count: 10, seed: seed).colors) > 60)
        #expect(minimumPairwiseDistance(try ColorPalette.generate(count: 20, seed: seed).colors) > 40)
        let eighty = try ColorPalette.generate(count: 80, seed: seed).colors
        #expect(eighty.count == 80)
        #expect(Set(eighty).count == 80)
        for index in eighty.indices.dropFirst() { #expect(distance(eighty[index], eighty[index - 1]) > 60) }
        #expect(eighty.allSatisfy { $0.alpha == 255 })
    }

    @Test(arguments: [0, -1, ColorPalette.maximumGeneratedCount + 1, Int.max, Int.min])
    func generatedCountIsBounded(count: Int) {
        let expected = VisCoreError.invalidArgument(
            argument: "count", expected: "a palette size in 1...65536", actual: "\(count)")
        #expect(throws: expected) { try ColorPalette.generate(count: count) }
        #expect(throws: expected) { try ColorPalette.random(count: count) }
    }

    @Test func largestGeneratedPalettes() throws {
        let count = ColorPalette.maximumGeneratedCount
        #expect(try ColorPalette.generate(count: count).count == count)
        #expect(try ColorPalette.random(count: count).count == count)
    }

    // MARK: random (MMDetection's get_palette('random'))

    /// Values from `np.random.seed(42); np.random.randint(0, 256, size=(300, 3))`.
    @Test func randomMatchesNumpySeed42() throws {
        let palette = try ColorPalette.random(count: 300)
        #expect(rgb(palette[0]) == [102, 179, 92])
        #expect(rgb(palette[1]) == [14, 106, 71])
        #expect(rgb(palette[2]) == [188, 20, 102])
        #expect(rgb(palette[79]) == [189, 74, 127])
        // Past the first 624 outputs, so the state has been regenerated once.
        #expect(rgb(palette[299]) == [251, 158, 18])
    }

    @Test func randomWithAnotherSeed() throws {
        let palette = try ColorPalette.random(count: 2, seed: 7)
        #expect(palette.colors.map(rgb) == [[175, 196, 25], [246, 67, 211]])
        #expect(try ColorPalette.random(count: 5, seed: 7) == ColorPalette.random(count: 5, seed: 7))
    }
}
