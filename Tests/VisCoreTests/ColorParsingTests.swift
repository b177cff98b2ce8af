import Testing
import VisCore

private func rgb(_ color: Color) -> [Int] { [Int(color.red), Int(color.green), Int(color.blue)] }
private func rgba(_ color: Color) -> [Int] { rgb(color) + [Int(color.alpha)] }

/// The `argument`, `expected` and `actual` of an `invalidArgument` error, or `nil` for any other outcome.
private func invalidArgument(_ body: () throws -> Color) -> (argument: String, expected: String, actual: String)? {
    do {
        _ = try body()
        return nil
    } catch let VisCoreError.invalidArgument(argument, expected, actual) {
        return (argument, expected, actual)
    } catch {
        return nil
    }
}

@Suite("Color parsing")
struct ColorParsingTests {
    // MARK: Letters

    /// MMEngine draws the letters through matplotlib's renderer, which rounds: 'g' = 0.5 → 127.5 → 128.
    @Test func lettersHaveMatplotlibRenderedValues() throws {
        let expected: [String: [Int]] = [
            "b": [0, 0, 255], "g": [0, 128, 0], "r": [255, 0, 0], "c": [0, 191, 191], "m": [191, 0, 191],
            "y": [191, 191, 0], "k": [0, 0, 0], "w": [255, 255, 255],
        ]
        for (letter, channels) in expected {
            let color = try Color(parsing: letter)
            #expect(rgba(color) == channels + [255], "\(letter)")
        }
    }

    /// MMEngine's `color_str2rgb` on 13 colours, measured (it truncates; `draw_binary_masks` uses it).
    @Test func maskColorMatchesEveryColorStr2rgbSample() throws {
        let samples: [(String, [Int])] = [
            ("r", [255, 0, 0]), ("g", [0, 127, 0]), ("b", [0, 0, 255]), ("c", [0, 191, 191]), ("m", [191, 0, 191]),
            ("y", [191, 191, 0]), ("k", [0, 0, 0]), ("w", [255, 255, 255]), ("green", [0, 128, 0]),
            ("gray", [128, 128, 128]), ("orange", [255, 165, 0]), ("tab:blue", [31, 119, 180]),
            ("#ff8000", [255, 128, 0]),
        ]
        for (text, channels) in samples {
            let color = try Color.maskColor(parsing: text)
            #expect(rgba(color) == channels + [255], "\(text)")
        }
    }

    @Test func maskColorDropsAlphaLikeToRgb() throws {
        #expect(rgba(try Color.maskColor(parsing: "none")) == [0, 0, 0, 255])
        #expect(rgba(try Color.maskColor(parsing: "#ff000080")) == [255, 0, 0, 255])
        #expect(throws: VisCoreError.self) { try Color.maskColor(parsing: "greem") }
    }

    @Test func cssGreenIsNotTheLetterGreen() throws {
        #expect(rgb(try Color(parsing: "green")) == [0, 128, 0])
        #expect(rgb(try Color(parsing: "lime")) == [0, 255, 0])
        #expect(rgb(try Color(parsing: "cyan")) == [0, 255, 255])
    }

    // MARK: Hex

    @Test func hexForms() throws {
        #expect(rgba(try Color(parsing: "#ff8000")) == [255, 128, 0, 255])
        #expect(rgba(try Color(parsing: "#FF8000")) == [255, 128, 0, 255])
        #expect(rgba(try Color(parsing: "#1f77b480")) == [31, 119, 180, 128])
        #expect(rgba(try Color(parsing: "#abc")) == [0xAA, 0xBB, 0xCC, 255])
        #expect(rgba(try Color(parsing: "#abcd")) == [0xAA, 0xBB, 0xCC, 0xDD])
        #expect(rgba(try Color(parsing: "#000")) == [0, 0, 0, 255])
        #expect(rgba(try Color(parsing: "#fFfFfF")) == [255, 255, 255, 255])
    }

    @Test(arguments: [
        "#", "#f", "#ff", "#fffff", "#fffffff", "#fffffffff", "#ff80001234", "ff8000", "#ff800g",
        "#ggg", "# ff800", "#ff 800", "#-12345", "#ff８000",
    ])
    func badHexIsRejected(text: String) {
        let error = invalidArgument { try Color(parsing: text) }
        #expect(error?.argument == "color")
        #expect(error?.expected == Color.acceptedForms)
        #expect(error?.actual == String(reflecting: text))
    }

    // MARK: none, whitespace, grey levels

    @Test func noneIsTransparent() throws {
        #expect(try Color(parsing: "none") == .none)
        #expect(try Color(parsing: "None") == .none)
        #expect(try Color(parsing: " NONE\n") == .none)
        #expect(try Color(parsing: "none").isTransparent)
    }

    @Test func fullyTransparentColorsAreNone() throws {
        #expect(try Color(parsing: "#ff000000") == .none)
        #expect(try Color(parsing: "#f000") == .none)
        #expect(try Color(rgbTuple: [255, 0, 0, 0]) == .none)
        #expect(try Color(rgbTuple: [255.0, 0, 0, 0.2]) == .none)
    }

    @Test func surroundingWhitespaceIsTrimmed() throws {
        #expect(try Color(parsing: "  red\t") == .red)
        #expect(try Color(parsing: "\ng\n") == Color(red: 0, green: 128, blue: 0))
        #expect(try Color(parsing: " #ff8000 ") == Color(red: 255, green: 128, blue: 0))
        #expect(throws: VisCoreError.self) { try Color(parsing: "dark red") }
    }

    @Test func greyLevelStrings() throws {
        #expect(rgba(try Color(parsing: "0")) == [0, 0, 0, 255])
        #expect(rgba(try Color(parsing: "1")) == [255, 255, 255, 255])
        #expect(rgba(try Color(parsing: "0.5")) == [128, 128, 128, 255])
        #expect(rgba(try Color(parsing: ".75")) == [191, 191, 191, 255])
        #expect(rgba(try Color(parsing: "5e-1")) == [128, 128, 128, 255])
        #expect(rgba(try Color.maskColor(parsing: "0.5")) == [127, 127, 127, 255])
    }

    @Test(arguments: ["1.5", "-0.1", "nan", "inf", "0x1p-1", "1e", "0.5.5", "2"])
    func badGreyLevelsAreRejected(text: String) {
        #expect(invalidArgument { try Color(parsing: text) } != nil)
    }

    // MARK: Errors

    @Test(arguments: [
        "", "   ", "greem", "blu", "xkcd:sky blue", "tab:teal", "R", "bb", "rgb(255, 0, 0)",
        "255, 0, 0", "C0", "grey50", "redd",
    ])
    func unknownStringsAreRejected(text: String) {
        let error = invalidArgument { try Color(parsing: text) }
        #expect(error?.argument == "color")
        #expect(error?.expected == Color.acceptedForms)
    }

    @Test func errorNamesTheArgument() {
        let error = invalidArgument { try Color(parsing: "purpel", argument: "edge_colors") }
        #expect(error?.argument == "edge_colors")
        #expect(error?.actual == "\"purpel\"")
        let message = "\(VisCoreError.invalidArgument(argument: "edge_colors", expected: "x", actual: "y"))"
        #expect(message.contains("edge_colors"))
    }

    @Test func hugeInputIsQuotedShort() {
        let text = String(repeating: "x", count: 100_000)
        let error = invalidArgument { try Color(parsing: text) }
        let actual = error?.actual ?? ""
        #expect(actual.count < 120)
        #expect(actual.hasSuffix("(100000 characters)"))
    }

    // MARK: Tuples

    @Test func integerTuples() throws {
        #expect(rgba(try Color(rgbTuple: [255, 128, 0])) == [255, 128, 0, 255])
        #expect(rgba(try Color(rgbTuple: [0, 0, 0])) == [0, 0, 0, 255])
        #expect(rgba(try Color(rgbTuple: [10, 20, 30, 40])) == [10, 20, 30, 40])
    }

    /// Tuples are on the 0-255 scale even when fractional (MMEngine divides by 255 and matplotlib renders).
    @Test func floatingPointTuples() throws {
        #expect(rgba(try Color(rgbTuple: [255.0, 127.5, 0.4])) == [255, 128, 0, 255])
        #expect(rgba(try Color(rgbTuple: [0.5, 0.5, 0.5])) == [1, 1, 1, 255])
        #expect(rgba(try Color(rgbTuple: [0.49, 254.5, 255.0, 128.0])) == [0, 255, 255, 128])
        #expect(rgba(try Color(rgbTuple: [-0.0, 0, 0])) == [0, 0, 0, 255])
    }

    @Test(arguments: [0, 1, 2, 5, 6])
    func tuplesOfTheWrongLengthAreRejected(count: Int) {
        let doubles = invalidArgument { try Color(rgbTuple: [Double](repeating: 1, count: count)) }
        let integers = invalidArgument { try Color(rgbTuple: [Int](repeating: 1, count: count)) }
        for error in [doubles, integers] {
            #expect(error?.argument == "color")
            #expect(error?.expected == "an (r, g, b) or (r, g, b, a) tuple with channels 0-255")
            #expect(error?.actual.hasPrefix("a tuple of \(count) value") == true)
        }
    }

    @Test func outOfRangeChannelsAreRejected() {
        #expect(invalidArgument { try Color(rgbTuple: [0, 256, 0]) }?.actual == "channel 1 = 256")
        #expect(invalidArgument { try Color(rgbTuple: [-1, 0, 0]) }?.actual == "channel 0 = -1")
        #expect(invalidArgument { try Color(rgbTuple: [0, 0, 0, 300]) }?.actual == "channel 3 = 300")
        #expect(invalidArgument { try Color(rgbTuple: [0, 0, Int.max]) } != nil)
        #expect(invalidArgument { try Color(rgbTuple: [0.0, 255.01, 0]) }?.actual == "channel 1 = 255.01")
        #expect(invalidArgument { try Color(rgbTuple: [-0.5, 0, 0]) }?.actual == "channel 0 = -0.5")
        #expect(invalidArgument { try Color(rgbTuple: [0, 0, Double.nan]) }?.actual == "channel 2 = nan")
        #expect(invalidArgument { try Color(rgbTuple: [Double.infinity, 0, 0]) }?.actual == "channel 0 = inf")
        #expect(
            invalidArgument { try Color(rgbTuple: [0, 256, 0], argument: "face_colors") }?.argument == "face_colors")
    }

    // MARK: String literals

    @Test func stringLiteralsParse() {
        let green: Color = "g"
        let orange: Color = "orange"
        let hex: Color = "#ff8800"
        let none: Color = "none"
        #expect(green == Color(red: 0, green: 128, blue: 0))
        #expect(orange == Color(red: 255, green: 165, blue: 0))
        #expect(hex == Color(red: 255, green: 136, blue: 0))
        #expect(none == .none)
        #expect(!green.isInvalidLiteral)
    }

    @Test func badStringLiteralBecomesTheSentinelAndValidationThrows() throws {
        let typo: Color = "gren"
        #expect(typo == .invalidLiteral)
        #expect(typo.isInvalidLiteral)
        #expect(typo.isTransparent)
        let error = invalidArgument { try typo.validated(argument: "colors") }
        #expect(error?.argument == "colors")
        #expect(error?.expected == Color.acceptedForms)
        let valid: Color = "tab:red"
        #expect(try valid.validated() == valid)
        #expect(try Color.none.validated() == .none)
    }

    /// Parsing can never produce the sentinel, even from its own hex spelling.
    @Test func parsingNeverProducesTheSentinel() throws {
        #expect(try Color(parsing: Color.invalidLiteral.hexString) == .none)
        #expect(try Color(rgbTuple: [0xBA, 0xD0, 0xC0, 0]) == .none)
    }
}
