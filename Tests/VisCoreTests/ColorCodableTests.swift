import Foundation
import Testing
import VisCore

private struct Style: Codable, Equatable {
    var edgeColor: Color
    var faceColor: Color
}

@Suite("Color formatting and Codable")
struct ColorCodableTests {
    @Test func hexStringIsShortWhenOpaque() {
        #expect(Color(red: 255, green: 128, blue: 0).hexString == "#ff8000")
        #expect(Color(red: 1, green: 2, blue: 3, alpha: 4).hexString == "#01020304")
        #expect(Color(red: 0, green: 0, blue: 0).hexString == "#000000")
        #expect(Color.none.hexString == "#00000000")
    }

    @Test func descriptionIsNoneOrHex() {
        #expect("\(Color.none)" == "none")
        #expect("\(Color(red: 31, green: 119, blue: 180))" == "#1f77b4")
        #expect(Color(red: 31, green: 119, blue: 180, alpha: 128).description == "#1f77b480")
    }

    @Test func hexStringParsesBack() throws {
        for color in [
            Color(red: 255, green: 128, blue: 0), Color(red: 1, green: 2, blue: 3, alpha: 4), Color.none,
            Color(red: 0, green: 0, blue: 0),
        ] {
            #expect(try Color(parsing: color.hexString) == color)
            #expect(try Color(parsing: color.description) == color)
        }
    }

    @Test func jsonRoundTrip() throws {
        let style = Style(edgeColor: Color(red: 0, green: 128, blue: 0), faceColor: .none)
        let data = try JSONEncoder().encode(style)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"#008000\""))
        #expect(text.contains("\"none\""))
        #expect(try JSONDecoder().decode(Style.self, from: data) == style)
    }

    @Test func decodesEveryAcceptedForm() throws {
        let json = #"{"edgeColor": "tab:blue", "faceColor": [255, 128, 0]}"#
        let style = try JSONDecoder().decode(Style.self, from: Data(json.utf8))
        #expect(style.edgeColor == Color(red: 31, green: 119, blue: 180))
        #expect(style.faceColor == Color(red: 255, green: 128, blue: 0))
        let letters = try JSONDecoder().decode([Color].self, from: Data(##"["g", " c ", "#abc", "none"]"##.utf8))
        #expect(
            letters == [
                Color(red: 0, green: 128, blue: 0), Color(red: 0, green: 191, blue: 191),
                Color(red: 0xAA, green: 0xBB, blue: 0xCC), .none,
            ])
    }

    @Test func badStringsFailWithTheParsingErrorNamingTheKey() {
        let json = #"{"edgeColor": "greem", "faceColor": "none"}"#
        do {
            _ = try JSONDecoder().decode(Style.self, from: Data(json.utf8))
            Issue.record("decoding succeeded")
        } catch let DecodingError.dataCorrupted(context) {
            guard case .invalidArgument(let argument, _, let actual)? = context.underlyingError as? VisCoreError else {
                Issue.record("unexpected underlying error \(String(describing: context.underlyingError))")
                return
            }
            #expect(argument == "edgeColor")
            #expect(actual == "\"greem\"")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func badTuplesAndTypesFail() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Color].self, from: Data("[[255, 0]]".utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Color].self, from: Data("[[0, 0, 256]]".utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Color].self, from: Data("[42]".utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Color].self, from: Data(#"[{"red": 1}]"#.utf8))
        }
    }
}

@Suite("Color luminance")
struct ColorLuminanceTests {
    @Test func luminanceEndpointsAndPrimaries() {
        #expect(Color.black.luminance == 0)
        #expect(abs(Color.white.luminance - 1) < 1e-12)
        #expect(abs(Color.red.luminance - 0.2126) < 1e-12)
        #expect(abs(Color(red: 0, green: 255, blue: 0).luminance - 0.7152) < 1e-12)
        #expect(abs(Color.blue.luminance - 0.0722) < 1e-12)
        // sRGB mid grey (128) is about 21.6 % luminance, not 50 %.
        #expect(abs(Color.gray.luminance - 0.2158605) < 1e-6)
    }

    @Test func contrastingTextColorPicksTheReadableOne() {
        #expect(Color.white.contrastingTextColor == .black)
        #expect(Color.yellow.contrastingTextColor == .black)
        #expect(Color(red: 0, green: 255, blue: 0).contrastingTextColor == .black)
        #expect(Color.black.contrastingTextColor == .white)
        #expect(Color.blue.contrastingTextColor == .white)
        #expect(Color(red: 0, green: 128, blue: 0).contrastingTextColor == .white)
        // Either side of the switch point L ≈ 0.179: grey 117 is 0.178, grey 118 is 0.181.
        #expect(Color(red: 117, green: 117, blue: 117).contrastingTextColor == .white)
        #expect(Color(red: 118, green: 118, blue: 118).contrastingTextColor == .black)
    }
}
