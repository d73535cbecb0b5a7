import Foundation
import Testing
@testable import TutorUI

/// Hand-rolled snapshot testing: compares text with `__Snapshots__/<name>.txt`.
///
/// `RECORD_SNAPSHOTS=1 swift test` rewrites the files. A missing file is
/// recorded and the test fails, so a new snapshot is always looked at once.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")

    static func assert(_ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let file = directory.appendingPathComponent(name + ".txt")
        let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
        let actual = text + "\n"
        guard !record, let expected = try? String(contentsOf: file, encoding: .utf8) else {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: file, atomically: true, encoding: .utf8)
            if !record { Issue.record("recorded a new snapshot \(name).txt; check it and run again", sourceLocation: sourceLocation) }
            return
        }
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let line = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
            let want = line < e.count ? String(e[line]) : "<end>"
            let got = line < a.count ? String(a[line]) : "<end>"
            Issue.record("snapshot \(name) differs at line \(line + 1):\n  expected: \(want)\n  actual:   \(got)\n(RECORD_SNAPSHOTS=1 re-records)",
                         sourceLocation: sourceLocation)
        }
    }
}
