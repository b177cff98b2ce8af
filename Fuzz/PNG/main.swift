import FuzzSupport
import VisCore

/// PNG decoding (the C shim around libpng), chosen by the input's signature.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? Image(data: fuzzBytes(data, size))
    return 0
}

fuzzMain(testOneInput)
