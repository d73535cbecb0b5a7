@testable import CNNCompute
import Testing

/// A bench share pairs each repeat with the reference run right before it.
@Suite struct BenchWorkloadTests {
    /// A workload whose repeats return the given figures in turn (after a warm-up that returns the first).
    static func figures(_ name: String, _ values: [Double]) -> BenchWorkload {
        BenchWorkload(name: name, unit: "GFLOP/s", repeats: values.count) {
            let box = Counter()
            return {
                defer { box.n += 1 }
                return values[max(0, box.n - 1) % values.count]
            }
        }
    }

    final class Counter: @unchecked Sendable { var n = 0 }

    @Test func theShareIsTheMedianOfPairedRatios() throws {
        // The machine halves in repeat 2 (peak 90, kernel 45): each pair still says 0.5.
        let peak = Self.figures("peak", [180, 90, 180, 180, 90])
        let kernel = Self.figures("kernel", [90, 45, 90, 90, 45])
        let (figure, share) = try kernel.measure(sharing: peak)
        #expect(figure == 90)
        #expect(share == 0.5)
        // A steady kernel against a peak that halves twice: 0.25 in three pairs of five.
        let slower = Self.figures("slower", [45, 45, 45, 45, 45])
        #expect(try slower.measure(sharing: peak).share == 0.25)
    }
}
