import Foundation
import Testing
@testable import TutorUI

/// Hand-rolled snapshot testing: compares text with `__Snapshots__/<name>.txt`.
///
/// `RECORD_SNAPSHOTS=1 swift test` rewrites the files, and a missing file is
/// recorded; either way the test fails, as swift-argument-parser's snapshot
/// tests do, so a run that records is never green and every new snapshot is
/// looked at once.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")

    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" }

    /// Fails the current test; a test of this file passes its own.
    typealias Failure = (Comment, SourceLocation) -> Void

    static func assert(_ name: String, _ text: String, record: Bool = recording, in directory: URL = directory,
                       fail: Failure = { Issue.record($0, sourceLocation: $1) },
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let file = directory.appendingPathComponent(name + ".txt")
        let actual = text + "\n"
        guard !record, let expected = try? String(contentsOf: file, encoding: .utf8) else {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try actual.write(to: file, atomically: true, encoding: .utf8)
                fail("recorded snapshot \(name).txt; check it, then run again without RECORD_SNAPSHOTS", sourceLocation)
            } catch {
                fail("could not record snapshot \(name).txt: \(error)", sourceLocation)
            }
            return
        }
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let line = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
            let want = line < e.count ? String(e[line]) : "<end>"
            let got = line < a.count ? String(a[line]) : "<end>"
            fail("snapshot \(name) differs at line \(line + 1):\n  expected: \(want)\n  actual:   \(got)\n(RECORD_SNAPSHOTS=1 re-records)",
                 sourceLocation)
        }
    }
}

/// Recording can't pass: it writes the file and fails the test.
@Suite struct SnapshotRecordingTests {
    /// The failures an assertion reported.
    final class Failures {
        var messages: [String] = []
        var fail: Snapshot.Failure { { [self] comment, _ in messages.append(comment.rawValue) } }
    }

    @Test func recordingWritesTheFileAndFails() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("snapshots-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let failures = Failures()
        Snapshot.assert("recorded", "a screen", record: true, in: dir, fail: failures.fail)
        #expect(failures.messages.count == 1)
        #expect(failures.messages.first?.hasPrefix("recorded snapshot recorded.txt") == true)
        #expect(try String(contentsOf: dir.appendingPathComponent("recorded.txt"), encoding: .utf8) == "a screen\n")
        // Recording over an existing file fails too, even when it already matches.
        Snapshot.assert("recorded", "a screen", record: true, in: dir, fail: failures.fail)
        #expect(failures.messages.count == 2)
        // Without recording, the same text passes and another fails.
        Snapshot.assert("recorded", "a screen", record: false, in: dir, fail: failures.fail)
        #expect(failures.messages.count == 2)
        Snapshot.assert("recorded", "another screen", record: false, in: dir, fail: failures.fail)
        #expect(failures.messages.last?.hasPrefix("snapshot recorded differs at line 1") == true)
    }
}
