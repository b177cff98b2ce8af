import FuzzSupport
import VisBackends

/// JSON configs, then dumped again as JSON and YAML (what `vis` and `Visualizer(config:)` do with them).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    if let config = try? Config(text: text, format: .json) {
        _ = try? config.dumped(as: .json)
        _ = try? config.dumped(as: .yaml)
        _ = config.flattened()
    }
    return 0
}

fuzzMain(testOneInput)
