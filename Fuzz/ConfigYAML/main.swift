import FuzzSupport
import VisBackends

/// YAML configs, then dumped again as YAML and JSON.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    if let config = try? Config(text: text, format: .yaml) {
        _ = try? config.dumped(as: .yaml)
        _ = try? config.dumped(as: .json)
        _ = config.flattened()
    }
    return 0
}

fuzzMain(testOneInput)
