import FuzzSupport
import VisCore
import Visualization

/// `vis draw` ops files (the command's own decoding, compiled in from Sources/vis), then each call run on a small
/// image, as the command does.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = fuzzFile(fuzzBytes(data, size), suffix: "-ops.json")
    guard let calls = try? DrawOperations.load(path: path),
        let image = try? Image(width: 32, height: 24, layout: .rgb, pixels: [UInt8](repeating: 200, count: 32 * 24 * 3)),
        let visualizer = try? Visualizer(name: "fuzz-draw", image: image, rank: 0)
    else { return 0 }
    for call in calls { try? call.run(on: visualizer) }
    return 0
}

fuzzMain(testOneInput)
