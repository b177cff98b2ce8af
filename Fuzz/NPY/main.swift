import FuzzSupport
import VisCore

/// NumPy `.npy` files: header, dtype, shape and data.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? NDArray(npyData: fuzzBytes(data, size))
    return 0
}

fuzzMain(testOneInput)
