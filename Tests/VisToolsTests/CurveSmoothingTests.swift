import Foundation
import Testing
import VisTools

/// TensorBoard's debiased EMA, checked against the dashboard's formula written out by hand.
@Suite("Curves smoothing")
struct CurveSmoothingTests {
    @Test("debiased EMA: the first value is kept, then s_t = EMA_t / (1 - w^t)")
    func debiased() throws {
        let values = [1.0, 3.0, 2.0, 5.0]
        let weight = 0.6
        let smoothed = try Curves.smoothed(values, weight: weight)
        var ema = 0.0
        for (index, value) in values.enumerated() {
            ema = ema * weight + (1 - weight) * value
            let expected = ema / (1 - pow(weight, Double(index + 1)))
            #expect(abs(smoothed[index] - expected) < 1e-12)
        }
        #expect(smoothed[0] == 1)
        // By hand: (0.4·1·0.6 + 0.4·3) / (1 − 0.36) = 2.25.
        #expect(abs(smoothed[1] - 2.25) < 1e-12)
        #expect(try Curves.smoothed(values, weight: 0) == values)
    }

    @Test("constant series, non-finite values, empty and single-point series, weights out of range")
    func edgeCases() throws {
        #expect(try Curves.smoothed([4, 4, 4], weight: 0.9) == [4, 4, 4])
        #expect(try Curves.smoothed([], weight: 0.5) == [])
        #expect(try Curves.smoothed([7], weight: 0.99) == [7])
        let gaps = try Curves.smoothed([1, .nan, 3, .infinity], weight: 0.5)
        #expect(gaps[0] == 1 && gaps[1].isNaN && gaps[3] == .infinity)
        // NaN does not enter the average: the third value is the second finite one.
        #expect(abs(gaps[2] - (0.25 * 1 + 0.5 * 3) / 0.75) < 1e-12)
        for weight in [-0.1, 1, 1.5, .nan] {
            #expect(throws: CurvesError.self) { try Curves.smoothed([1, 2], weight: weight) }
        }
    }
}
