import Testing
@testable import VisCore

@Suite("NDArray")
struct NDArrayTests {
    @Test func flatValuesAndShape() throws {
        let array = try NDArray([Float](stride(from: 0, to: 24, by: 1)), shape: [2, 3, 4])
        #expect(array.dtype == .float32)
        #expect(array.shape == [2, 3, 4])
        #expect(array.count == 24)
        #expect(array.rank == 3)
        #expect(array.strides == [12, 4, 1])
        #expect(array[1, 2, 3] == 23)
        #expect(array[0, 1, 0] == 4)
        #expect(try array.element(at: [1, 0, 2]) == 14)
        #expect(try array.flatIndex(of: [1, 1, 1]) == 17)
    }

    @Test func shapeProductIsChecked() {
        #expect(throws: VisCoreError.invalidArgument(
            argument: "shape", expected: "a shape whose product is the element count 5", actual: "[2, 3] (6 elements)")
        ) {
            try NDArray([Int32](repeating: 0, count: 5), shape: [2, 3])
        }
        #expect(throws: VisCoreError.self) { try NDArray([Float](), shape: [-1, 0]) }
        #expect(throws: VisCoreError.self) { try NDArray([Float](), shape: [Int.max, Int.max, 0]) }
        #expect(throws: VisCoreError.self) { try NDArray(repeating: Float(0), shape: [1 << 40, 1 << 40]) }
    }

    @Test func elementAccessOutOfRangeThrows() throws {
        let array = try NDArray([[1, 2], [3, 4]])
        #expect(throws: VisCoreError.self) { try array.element(at: [2, 0]) }
        #expect(throws: VisCoreError.self) { try array.element(at: [0]) }
        #expect(throws: VisCoreError.self) { try array.element(at: [0, -1]) }
    }

    @Test func nestedInitialisers() throws {
        let matrix = try NDArray([[0, 1, 2], [3, 4, 5]])
        #expect(matrix.dtype == .float64)
        #expect(matrix.shape == [2, 3])
        #expect(matrix.values(as: Double.self) == [0, 1, 2, 3, 4, 5])

        let cube = try NDArray([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]])
        #expect(cube.shape == [3, 2, 2])
        #expect(cube[2, 1, 0] == 11)

        let mask = try NDArray([[true, false], [false, true]] as [[Bool]])
        #expect(mask.dtype == .bool)
        #expect(mask.values(as: Bool.self) == [true, false, false, true])

        let floats = try NDArray([[[0.5]]] as [[[Float]]])
        #expect(floats.dtype == .float32 && floats.shape == [1, 1, 1])

        let empty = try NDArray([[Double]]())
        #expect(empty.shape == [0, 0])
    }

    @Test func raggedInputIsRejected() {
        #expect(throws: VisCoreError.invalidArgument(
            argument: "rows", expected: "rows of equal length 2", actual: "row 1 has 3 values")
        ) {
            try NDArray([[1, 2], [3, 4, 5]])
        }
        #expect(throws: VisCoreError.invalidArgument(
            argument: "planes", expected: "planes of equal height 2", actual: "plane 1 has 1 rows")
        ) {
            try NDArray([[[1], [2]], [[3]]])
        }
        #expect(throws: VisCoreError.invalidArgument(
            argument: "planes", expected: "rows of equal width 1", actual: "plane 0 row 1 has 2 values")
        ) {
            try NDArray([[[1], [2, 3]]])
        }
    }

    @Test func reshaped() throws {
        let array = try NDArray([Int16](0..<12), shape: [3, 4])
        let reshaped = try array.reshaped([2, -1, 2])
        #expect(reshaped.shape == [2, 3, 2])
        #expect(reshaped.values(as: Int16.self) == [Int16](0..<12))
        #expect(throws: VisCoreError.self) { try array.reshaped([5, -1]) }
        #expect(throws: VisCoreError.self) { try array.reshaped([5, 2]) }
        #expect(throws: VisCoreError.self) { try array.reshaped([-1, -1]) }
        #expect(try array.reshaped([12]).rank == 1)
    }

    @Test func subarray() throws {
        let array = try NDArray([UInt8](0..<24), shape: [2, 3, 4])
        let plane = try array.subarray(at: 1)
        #expect(plane.shape == [3, 4])
        #expect(plane.values(as: UInt8.self) == [UInt8](12..<24))
        #expect(try plane.subarray(at: 2).values(as: UInt8.self) == [20, 21, 22, 23])
        #expect(throws: VisCoreError.self) { try array.subarray(at: 2) }
        #expect(throws: VisCoreError.self) { try NDArray([Float(1)], shape: []).subarray(at: 0) }
    }

    @Test func transposedReversesAxes() throws {
        let matrix = try NDArray([[1, 2, 3], [4, 5, 6]])
        let transposed = matrix.transposed()
        #expect(transposed.shape == [3, 2])
        #expect(transposed.values(as: Double.self) == [1, 4, 2, 5, 3, 6])

        let cube = try NDArray([Int32](0..<24), shape: [2, 3, 4])
        let reversed = cube.transposed()
        #expect(reversed.shape == [4, 3, 2])
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<4 {
                    #expect(reversed[k, j, i] == cube[i, j, k])
                }
            }
        }
        #expect(reversed.transposed() == cube)
    }

    @Test func conversionsFollowNumPy() throws {
        let floats = try NDArray([-1.9, -0.5, 0, 0.7, 300.2, Double.nan, Double.infinity, -1e30], shape: [8])
        #expect(floats.converted(to: .uint8).values(as: UInt8.self) == [0, 0, 0, 0, 255, 0, 255, 0])
        #expect(floats.converted(to: .int8).values(as: Int8.self) == [-1, 0, 0, 0, 127, 0, 127, -128])
        #expect(floats.converted(to: .bool).values(as: Bool.self) == [true, true, false, true, true, true, true, true])

        let integers = try NDArray([Int64(-1), 256, 257, Int64.max], shape: [4])
        #expect(integers.converted(to: .uint8).values(as: UInt8.self) == [255, 0, 1, 255])
        #expect(integers.converted(to: .int16).values(as: Int16.self) == [-1, 256, 257, -1])
        #expect(integers.converted(to: .uint64).values(as: UInt64.self) == [UInt64.max, 256, 257, UInt64(Int64.max)])

        let big = try NDArray([UInt64.max], shape: [1])
        #expect(big.converted(to: .float64).values(as: Double.self) == [18_446_744_073_709_551_615.0])
        #expect(big.converted(to: .int64).values(as: Int64.self) == [-1])

        let mask = try NDArray([true, false], shape: [2])
        #expect(mask.toFloat32() == [1, 0])
        #expect(mask.converted(to: .int32).values(as: Int32.self) == [1, 0])
        #expect(mask.converted(to: .bool) == mask)
        #expect(try NDArray([UInt16(3), 65535], shape: [2]).toDouble() == [3, 65535])
        #expect(floats.values(as: Float.self) == nil)
    }

    @Test func equatableComparesShapeAndStorage() throws {
        let a = try NDArray([Float(1), 2, 3, 4], shape: [2, 2])
        #expect(a == (try NDArray([[1, 2], [3, 4]] as [[Float]])))
        #expect(a != (try a.reshaped([4])))
        #expect(a != a.converted(to: .float64))
        #expect(a.description == "NDArray(float32, shape: [2, 2])")
    }

    @Test func repeatingAndScalars() throws {
        let zeros = try NDArray(repeating: Int8(7), shape: [2, 0, 3])
        #expect(zeros.count == 0)
        let scalar = try NDArray(repeating: 2.5, shape: [])
        #expect(scalar.count == 1)
        #expect(try scalar.element(at: []) == 2.5)
        #expect(scalar.transposed() == scalar)
    }
}
