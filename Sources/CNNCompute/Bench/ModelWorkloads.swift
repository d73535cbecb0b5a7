import CNNModel

/// Workloads of the model engine: what the builder does on every keystroke.
public enum ModelWorkloads {
    public static var all: [BenchWorkload] {
        [
            // A keystroke: one line of the 30-layer model's Keras code changed
            // (a Dense layer's units, new each run), the code parsed again and
            // every row derived. Unchanged lines come from the parser's line
            // cache, and the layers before the edited one keep their rows.
            edits("parse_summary_30_layers_us", runs: 200) { source in
                _ = try KerasParser.parse(source).summary()
            },
            // The same with nothing kept from before: a whole new file.
            edits("parse_summary_30_layers_cold_us", runs: 200) { source in
                KerasParser.forgetLines()
                _ = try KerasParser.parse(source).summary()
            },
            // Re-derive every row of an already parsed model afresh (the input size changed, say).
            microseconds("summary_30_layers_us", runs: 1000) {
                KerasParser.forgetLines()
                _ = try thirtyLayers.summary()
            },
        ]
    }

    static let thirtyLayers = try! KerasParser.parse(BenchmarkModels.thirtyLayers)

    /// The 30-layer model's code with its first Dense layer's units set from
    /// `run`, so that each run edits a line no earlier run had.
    static func edited(_ run: Int) -> String {
        BenchmarkModels.thirtyLayers.replacingOccurrences(of: "Dense(256,", with: "Dense(\(256 + run),")
    }

    /// The mean time of one of `runs` calls, in microseconds.
    static func microseconds(_ name: String, runs: Int, _ body: @escaping @Sendable () throws -> Void) -> BenchWorkload {
        BenchWorkload(name: name, unit: "µs") {
            {
                try BenchWorkload.seconds { for _ in 0..<runs { try body() } } / Double(runs) * 1e6
            }
        }
    }

    /// The mean time of one of `runs` calls on the 30-layer code, each with a
    /// line no earlier call had, in microseconds (the sources are made
    /// before the clock starts).
    static func edits(_ name: String, runs: Int, _ body: @escaping @Sendable (String) throws -> Void) -> BenchWorkload {
        BenchWorkload(name: name, unit: "µs") {
            let counter = Counter()
            return {
                let first = counter.take(runs)
                let sources = (first..<(first + runs)).map(edited)
                return try BenchWorkload.seconds { for source in sources { try body(source) } } / Double(runs) * 1e6
            }
        }
    }

    /// Hands out fresh ranges of run numbers.
    final class Counter: @unchecked Sendable {
        private var next = 0
        func take(_ n: Int) -> Int { defer { next += n }; return next }
    }
}
