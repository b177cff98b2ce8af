import FuzzSupport
import Visualization

/// `vis draw` ops files: the JSON array of MMEngine drawing calls is decoded, then each call is run on a small
/// image (argument checks, per-item lists, colours, line styles, texts and masks reach the drawing code).
/// Array and font file references resolve against a folder that does not exist, so they fail as missing files.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    guard let calls = try? DrawOperations.decode(jsonText: text, source: "<fuzz>", baseDirectory: "/nonexistent-vis-fuzz"),
        let image = try? Image(width: 32, height: 24, layout: .rgb, fill: [40, 40, 40]),
        let visualizer = try? Visualizer(name: "fuzz-draw-ops", image: image, rank: 0)
    else { return 0 }
    for call in calls { _ = try? call.run(on: visualizer) }
    _ = try? visualizer.getImage()
    return 0
}

fuzzMain(testOneInput)
