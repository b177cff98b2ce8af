import FuzzSupport
import VisCore

/// NumPy `.npz` archives: the ZIP directory, stored and deflated members, and the `.npy` files inside.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? NDArray.loadNPZ(data: fuzzBytes(data, size))
    return 0
}

fuzzMain(testOneInput)
