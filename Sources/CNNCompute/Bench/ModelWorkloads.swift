import CNNModel

/// Workloads of the model engine: what the builder does on every keystroke.
public enum ModelWorkloads {
    public static var all: [BenchWorkload] {
        [
            // Parse the 30-layer model's Keras code and derive every row.
            microseconds("parse_summary_30_layers_us", runs: 200) {
                _ = try KerasParser.parse(BenchmarkModels.thirtyLayers).summary()
            },
            // Re-derive every row of an already parsed model (the input size changed, say).
            microseconds("summary_30_layers_us", runs: 1000) {
                _ = try thirtyLayers.summary()
            },
        ]
    }

    static let thirtyLayers = try! KerasParser.parse(BenchmarkModels.thirtyLayers)

    /// The mean time of one of `runs` calls, in microseconds.
    static func microseconds(_ name: String, runs: Int, _ body: @escaping @Sendable () throws -> Void) -> BenchWorkload {
        BenchWorkload(name: name, unit: "µs") {
            {
                try BenchWorkload.seconds { for _ in 0..<runs { try body() } } / Double(runs) * 1e6
            }
        }
    }
}
