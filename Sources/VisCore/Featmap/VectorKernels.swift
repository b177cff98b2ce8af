import CVisKernels
import Foundation

/// Whether the C row kernels of `CVisKernels` (hardware fused multiply-adds, 8-lane vectors) run natively on this
/// CPU: x86-64 with AVX2 and FMA, or AArch64. When they do not, the portable Swift twins compute the same values.
/// `VIS_PORTABLE_KERNELS=1` in the environment forces the portable path, to compare the two or rule one out.
enum _VectorKernels {
    /// Whether `VIS_PORTABLE_KERNELS=1` asks for the portable twins of every C kernel (read once per process).
    static let portableRequested: Bool = ProcessInfo.processInfo.environment["VIS_PORTABLE_KERNELS"] == "1"

    /// Decided once per process.
    static let available: Bool = !portableRequested && vis_kernels_available() != 0
}
