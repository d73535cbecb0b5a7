import Foundation
import Testing

/// A seeded race gives the same figures whatever the machine: on 1 or 3
/// threads (`CNN_THREADS`) and at 16, 8 or 4 lanes (`CNN_SIMD`), as the
/// README says of its table.
@Suite struct ReproducibleRaceTests {
    /// `experiment --json` of a short seeded run under `environment`, without
    /// its timings, with its keys sorted.
    static func race(_ environment: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("cnn-race-\(getpid())-\(UUID().uuidString.prefix(6)).json").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let args = environment + [try Tmux.binary, "experiment", "--epochs", "1", "--train", "300", "--test", "100", "--json"]
        let status = try Spawn.run("/usr/bin/env", args, output: output)
        #expect(status == 0, "\(environment): exit \(status)")
        let data = try Data(contentsOf: URL(fileURLWithPath: output))
        var report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        report["timings"] = nil
        return String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func threadsAndWidthsGiveTheSameRace() throws {
        let reference = try Self.race(["CNN_THREADS=2", "CNN_SIMD=16"])
        #expect(reference.contains("\"test_accuracy\""))
        for environment in [["CNN_THREADS=1", "CNN_SIMD=8"], ["CNN_THREADS=3", "CNN_SIMD=4"]] {
            let other = try Self.race(environment)
            let same = zip(other, reference).prefix { $0 == $1 }.count
            #expect(other == reference, "\(environment) against 2 threads at 16 lanes: from \(String(other.dropFirst(max(0, same - 80)).prefix(160)))")
        }
    }
}
