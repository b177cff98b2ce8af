import Testing
import VisCore

/// `(name, rendered RGB, truncated RGB)` for every name matplotlib resolves (except `xkcd:`), generated with
/// matplotlib 3.11: rendered is Agg's `int(c * 255 + 0.5)` of `to_rgb(name)`, truncated is MMEngine's
/// `color_str2rgb`, `int(c * 255)`.
private let matplotlibNamedColors: [(name: String, rendered: (Int, Int, Int), truncated: (Int, Int, Int))] = [
    ("aliceblue", (240, 248, 255), (240, 248, 255)), ("antiquewhite", (250, 235, 215), (250, 235, 215)),
    ("aqua", (0, 255, 255), (0, 255, 255)), ("aquamarine", (127, 255, 212), (127, 255, 212)),
    ("azure", (240, 255, 255), (240, 255, 255)), ("b", (0, 0, 255), (0, 0, 255)),
    ("beige", (245, 245, 220), (245, 245, 220)), ("bisque", (255, 228, 196), (255, 228, 196)),
    ("black", (0, 0, 0), (0, 0, 0)), ("blanchedalmond", (255, 235, 205), (255, 235, 205)),
    ("blue", (0, 0, 255), (0, 0, 255)), ("blueviolet", (138, 43, 226), (138, 43, 226)),
    ("brown", (165, 42, 42), (165, 42, 42)), ("burlywood", (222, 184, 135), (222, 184, 135)),
    ("c", (0, 191, 191), (0, 191, 191)), ("cadetblue", (95, 158, 160), (95, 158, 160)),
    ("chartreuse", (127, 255, 0), (127, 255, 0)), ("chocolate", (210, 105, 30), (210, 105, 30)),
    ("coral", (255, 127, 80), (255, 127, 80)), ("cornflowerblue", (100, 149, 237), (100, 149, 237)),
    ("cornsilk", (255, 248, 220), (255, 248, 220)), ("crimson", (220, 20, 60), (220, 20, 60)),
    ("cyan", (0, 255, 255), (0, 255, 255)), ("darkblue", (0, 0, 139), (0, 0, 139)),
    ("darkcyan", (0, 139, 139), (0, 139, 139)), ("darkgoldenrod", (184, 134, 11), (184, 134, 11)),
    ("darkgray", (169, 169, 169), (169, 169, 169)), ("darkgreen", (0, 100, 0), (0, 100, 0)),
    ("darkgrey", (169, 169, 169), (169, 169, 169)), ("darkkhaki", (189, 183, 107), (189, 183, 107)),
    ("darkmagenta", (139, 0, 139), (139, 0, 139)), ("darkolivegreen", (85, 107, 47), (85, 107, 47)),
    ("darkorange", (255, 140, 0), (255, 140, 0)), ("darkorchid", (153, 50, 204), (153, 50, 204)),
    ("darkred", (139, 0, 0), (139, 0, 0)), ("darksalmon", (233, 150, 122), (233, 150, 122)),
    ("darkseagreen", (143, 188, 143), (143, 188, 143)), ("darkslateblue", (72, 61, 139), (72, 61, 139)),
    ("darkslategray", (47, 79, 79), (47, 79, 79)), ("darkslategrey", (47, 79, 79), (47, 79, 79)),
    ("darkturquoise", (0, 206, 209), (0, 206, 209)), ("darkviolet", (148, 0, 211), (148, 0, 211)),
    ("deeppink", (255, 20, 147), (255, 20, 147)), ("deepskyblue", (0, 191, 255), (0, 191, 255)),
    ("dimgray", (105, 105, 105), (105, 105, 105)), ("dimgrey", (105, 105, 105), (105, 105, 105)),
    ("dodgerblue", (30, 144, 255), (30, 144, 255)), ("firebrick", (178, 34, 34), (178, 34, 34)),
    ("floralwhite", (255, 250, 240), (255, 250, 240)), ("forestgreen", (34, 139, 34), (34, 139, 34)),
    ("fuchsia", (255, 0, 255), (255, 0, 255)), ("g", (0, 128, 0), (0, 127, 0)),
    ("gainsboro", (220, 220, 220), (220, 220, 220)), ("ghostwhite", (248, 248, 255), (248, 248, 255)),
    ("gold", (255, 215, 0), (255, 215, 0)), ("goldenrod", (218, 165, 32), (218, 165, 32)),
    ("gray", (128, 128, 128), (128, 128, 128)), ("green", (0, 128, 0), (0, 128, 0)),
    ("greenyellow", (173, 255, 47), (173, 255, 47)), ("grey", (128, 128, 128), (128, 128, 128)),
    ("honeydew", (240, 255, 240), (240, 255, 240)), ("hotpink", (255, 105, 180), (255, 105, 180)),
    ("indianred", (205, 92, 92), (205, 92, 92)), ("indigo", (75, 0, 130), (75, 0, 130)),
    ("ivory", (255, 255, 240), (255, 255, 240)), ("k", (0, 0, 0), (0, 0, 0)),
    ("khaki", (240, 230, 140), (240, 230, 140)), ("lavender", (230, 230, 250), (230, 230, 250)),
    ("lavenderblush", (255, 240, 245), (255, 240, 245)), ("lawngreen", (124, 252, 0), (124, 252, 0)),
    ("lemonchiffon", (255, 250, 205), (255, 250, 205)), ("lightblue", (173, 216, 230), (173, 216, 230)),
    ("lightcoral", (240, 128, 128), (240, 128, 128)), ("lightcyan", (224, 255, 255), (224, 255, 255)),
    ("lightgoldenrodyellow", (250, 250, 210), (250, 250, 210)), ("lightgray", (211, 211, 211), (211, 211, 211)),
    ("lightgreen", (144, 238, 144), (144, 238, 144)), ("lightgrey", (211, 211, 211), (211, 211, 211)),
    ("lightpink", (255, 182, 193), (255, 182, 193)), ("lightsalmon", (255, 160, 122), (255, 160, 122)),
    ("lightseagreen", (32, 178, 170), (32, 178, 170)), ("lightskyblue", (135, 206, 250), (135, 206, 250)),
    ("lightslategray", (119, 136, 153), (119, 136, 153)), ("lightslategrey", (119, 136, 153), (119, 136, 153)),
    ("lightsteelblue", (176, 196, 222), (176, 196, 222)), ("lightyellow", (255, 255, 224), (255, 255, 224)),
    ("lime", (0, 255, 0), (0, 255, 0)), ("limegreen", (50, 205, 50), (50, 205, 50)),
    ("linen", (250, 240, 230), (250, 240, 230)), ("m", (191, 0, 191), (191, 0, 191)),
    ("magenta", (255, 0, 255), (255, 0, 255)), ("maroon", (128, 0, 0), (128, 0, 0)),
    ("mediumaquamarine", (102, 205, 170), (102, 205, 170)), ("mediumblue", (0, 0, 205), (0, 0, 205)),
    ("mediumorchid", (186, 85, 211), (186, 85, 211)), ("mediumpurple", (147, 112, 219), (147, 112, 219)),
    ("mediumseagreen", (60, 179, 113), (60, 179, 113)), ("mediumslateblue", (123, 104, 238), (123, 104, 238)),
    ("mediumspringgreen", (0, 250, 154), (0, 250, 154)), ("mediumturquoise", (72, 209, 204), (72, 209, 204)),
    ("mediumvioletred", (199, 21, 133), (199, 21, 133)), ("midnightblue", (25, 25, 112), (25, 25, 112)),
    ("mintcream", (245, 255, 250), (245, 255, 250)), ("mistyrose", (255, 228, 225), (255, 228, 225)),
    ("moccasin", (255, 228, 181), (255, 228, 181)), ("navajowhite", (255, 222, 173), (255, 222, 173)),
    ("navy", (0, 0, 128), (0, 0, 128)), ("oldlace", (253, 245, 230), (253, 245, 230)),
    ("olive", (128, 128, 0), (128, 128, 0)), ("olivedrab", (107, 142, 35), (107, 142, 35)),
    ("orange", (255, 165, 0), (255, 165, 0)), ("orangered", (255, 69, 0), (255, 69, 0)),
    ("orchid", (218, 112, 214), (218, 112, 214)), ("palegoldenrod", (238, 232, 170), (238, 232, 170)),
    ("palegreen", (152, 251, 152), (152, 251, 152)), ("paleturquoise", (175, 238, 238), (175, 238, 238)),
    ("palevioletred", (219, 112, 147), (219, 112, 147)), ("papayawhip", (255, 239, 213), (255, 239, 213)),
    ("peachpuff", (255, 218, 185), (255, 218, 185)), ("peru", (205, 133, 63), (205, 133, 63)),
    ("pink", (255, 192, 203), (255, 192, 203)), ("plum", (221, 160, 221), (221, 160, 221)),
    ("powderblue", (176, 224, 230), (176, 224, 230)), ("purple", (128, 0, 128), (128, 0, 128)),
    ("r", (255, 0, 0), (255, 0, 0)), ("rebeccapurple", (102, 51, 153), (102, 51, 153)),
    ("red", (255, 0, 0), (255, 0, 0)), ("rosybrown", (188, 143, 143), (188, 143, 143)),
    ("royalblue", (65, 105, 225), (65, 105, 225)), ("saddlebrown", (139, 69, 19), (139, 69, 19)),
    ("salmon", (250, 128, 114), (250, 128, 114)), ("sandybrown", (244, 164, 96), (244, 164, 96)),
    ("seagreen", (46, 139, 87), (46, 139, 87)), ("seashell", (255, 245, 238), (255, 245, 238)),
    ("sienna", (160, 82, 45), (160, 82, 45)), ("silver", (192, 192, 192), (192, 192, 192)),
    ("skyblue", (135, 206, 235), (135, 206, 235)), ("slateblue", (106, 90, 205), (106, 90, 205)),
    ("slategray", (112, 128, 144), (112, 128, 144)), ("slategrey", (112, 128, 144), (112, 128, 144)),
    ("snow", (255, 250, 250), (255, 250, 250)), ("springgreen", (0, 255, 127), (0, 255, 127)),
    ("steelblue", (70, 130, 180), (70, 130, 180)), ("tab:blue", (31, 119, 180), (31, 119, 180)),
    ("tab:brown", (140, 86, 75), (140, 86, 75)), ("tab:cyan", (23, 190, 207), (23, 190, 207)),
    ("tab:gray", (127, 127, 127), (127, 127, 127)), ("tab:green", (44, 160, 44), (44, 160, 44)),
    ("tab:grey", (127, 127, 127), (127, 127, 127)), ("tab:olive", (188, 189, 34), (188, 189, 34)),
    ("tab:orange", (255, 127, 14), (255, 127, 14)), ("tab:pink", (227, 119, 194), (227, 119, 194)),
    ("tab:purple", (148, 103, 189), (148, 103, 189)), ("tab:red", (214, 39, 40), (214, 39, 40)),
    ("tan", (210, 180, 140), (210, 180, 140)), ("teal", (0, 128, 128), (0, 128, 128)),
    ("thistle", (216, 191, 216), (216, 191, 216)), ("tomato", (255, 99, 71), (255, 99, 71)),
    ("turquoise", (64, 224, 208), (64, 224, 208)), ("violet", (238, 130, 238), (238, 130, 238)),
    ("w", (255, 255, 255), (255, 255, 255)), ("wheat", (245, 222, 179), (245, 222, 179)),
    ("white", (255, 255, 255), (255, 255, 255)), ("whitesmoke", (245, 245, 245), (245, 245, 245)),
    ("y", (191, 191, 0), (191, 191, 0)), ("yellow", (255, 255, 0), (255, 255, 0)),
    ("yellowgreen", (154, 205, 50), (154, 205, 50)),
]

private func channels(_ color: Color) -> [Int] { [Int(color.red), Int(color.green), Int(color.blue)] }
private func channels(_ rgb: (Int, Int, Int)) -> [Int] { [rgb.0, rgb.1, rgb.2] }

@Suite("Color names")
struct ColorNamesTests {
    @Test func tableCoversEveryMatplotlibName() {
        #expect(matplotlibNamedColors.count == 167)
        #expect(Color.matplotlibColorNames == matplotlibNamedColors.map(\.name))
        let css4 = matplotlibNamedColors.filter { $0.name.count > 1 && !$0.name.hasPrefix("tab:") }
        #expect(css4.count == 148)
    }

    @Test(arguments: matplotlibNamedColors.map(\.name))
    func renderedValueMatchesMatplotlib(name: String) throws {
        let expected = try #require(matplotlibNamedColors.first { $0.name == name })
        let color = try Color(parsing: name)
        #expect(channels(color) == channels(expected.rendered))
        #expect(color.alpha == 255)
    }

    @Test(arguments: matplotlibNamedColors.map(\.name))
    func truncatedValueMatchesColorStr2rgb(name: String) throws {
        let expected = try #require(matplotlibNamedColors.first { $0.name == name })
        let color = try Color.maskColor(parsing: name)
        #expect(channels(color) == channels(expected.truncated))
        #expect(color.alpha == 255)
    }

    @Test func namesAreCaseInsensitiveButLettersAreNot() throws {
        #expect(try Color(parsing: "DarkSlateGrey") == Color(parsing: "darkslategrey"))
        #expect(try Color(parsing: "TAB:Blue") == Color(red: 31, green: 119, blue: 180))
        #expect(try Color(parsing: "tab:grey") == Color(parsing: "tab:gray"))
        // matplotlib only lower-cases names longer than one character: "G" is not a colour there either.
        #expect(throws: VisCoreError.self) { try Color(parsing: "G") }
    }

    @Test func staticColorsAreTheirCSSNames() throws {
        let statics: [(Color, String)] = [
            (.black, "black"), (.white, "white"), (.red, "red"), (.green, "green"), (.blue, "blue"),
            (.yellow, "yellow"), (.cyan, "cyan"), (.magenta, "magenta"), (.orange, "orange"), (.purple, "purple"),
            (.gray, "gray"),
        ]
        for (color, name) in statics {
            #expect(try color == Color(parsing: name), "Color.\(name)")
        }
        // The letters MMEngine draws that coincide with CSS names.
        #expect(try Color(parsing: "g") == .green)
        #expect(try Color(parsing: "r") == .red)
        #expect(try Color(parsing: "b") == .blue)
        #expect(try Color(parsing: "k") == .black)
        #expect(try Color(parsing: "w") == .white)
    }
}
