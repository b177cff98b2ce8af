import FuzzSupport
import VisBackends

/// TensorBoard event files: TFRecord framing with both CRCs, then the `Event` protobufs.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? TensorboardEventFile(bytes: fuzzBytes(data, size), path: "<fuzz>")
    return 0
}

fuzzMain(testOneInput)
