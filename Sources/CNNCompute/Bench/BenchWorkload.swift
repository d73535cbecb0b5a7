import Foundation

/// One named measurement for `cnn-tutor bench`: a figure (higher or lower is
/// better, per its unit) from the median of repeated runs after a warm-up.
///
/// Adding a workload is one value: a name, a unit and a closure that returns
/// one repeat's figure.
public struct BenchWorkload: Sendable {
    /// The JSON key, such as `infer_gap_224_b8_img_s`.
    public var name: String
    /// A short unit for the table: `img/s`, `GFLOP/s`, `µs`, `ms`.
    public var unit: String
    /// Repeats after the warm-up; the figure is their median.
    public var repeats: Int
    /// Whether a first run is thrown away (false for costly, steady figures
    /// such as a child process's peak memory).
    public var warmUp: Bool
    /// Prepares the workload and returns a closure that runs one repeat and
    /// returns its figure; the first call is the warm-up.
    public var prepare: @Sendable () throws -> (() throws -> Double)

    public init(name: String, unit: String, repeats: Int = 5, warmUp: Bool = true,
                prepare: @escaping @Sendable () throws -> (() throws -> Double)) {
        self.name = name
        self.unit = unit
        self.repeats = repeats
        self.warmUp = warmUp
        self.prepare = prepare
    }

    /// Warms up (when ``warmUp``), runs `repeats` times and returns the median figure.
    public func measure() throws -> Double {
        let once = try prepare()
        if warmUp { _ = try once() }
        var figures: [Double] = []
        for _ in 0..<max(repeats, 1) { figures.append(try once()) }
        figures.sort()
        return figures[figures.count / 2]
    }

    /// Warms up both, then runs `reference` and this workload one after the
    /// other `repeats` times: the median figure, and the median of each
    /// pair's ratio (this figure's share of the reference's).
    ///
    /// A share from adjacent runs holds when the machine changes under the
    /// bench (a virtual machine whose second core is taken away for a while
    /// halves the peak and the kernel alike), where one peak measured
    /// seconds earlier would not.
    public func measure(sharing reference: BenchWorkload) throws -> (figure: Double, share: Double) {
        let once = try prepare(), referenceOnce = try reference.prepare()
        if warmUp { _ = try once() }
        if reference.warmUp { _ = try referenceOnce() }
        var figures: [Double] = [], shares: [Double] = []
        for _ in 0..<max(repeats, 1) {
            let r = try referenceOnce()
            let f = try once()
            figures.append(f)
            shares.append(r > 0 ? f / r : 0)
        }
        return (figures.sorted()[figures.count / 2], shares.sorted()[shares.count / 2])
    }

    /// Seconds taken by `body`, on the monotonic clock.
    public static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
