import Foundation
import Testing
@testable import LessonKit

/// A lesson too large to be sensible is refused at once, with the file and the reason.
@Suite struct LessonSizeLimitTests {
    /// A valid lesson padded to about `megabytes` with ordinary paragraphs.
    static func big(megabytes: Int) -> String {
        let paragraph = String(repeating: "Global pooling keeps one number per channel. ", count: 20) + "\n\n"
        let count = megabytes * (1 << 20) / paragraph.utf8.count + 1
        return LessonFixtures.lesson("## Step\n\n" + String(repeating: paragraph, count: count))
    }

    @Test func aTenMegabyteFileIsRefusedQuicklyNamingTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cnn-big-lesson-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.md").path
        try Self.big(megabytes: 10).write(toFile: path, atomically: true, encoding: .utf8)
        let start = Date()
        do {
            _ = try LessonParser.parse(contentsOf: path)
            Issue.record("a 10 MB lesson was accepted")
        } catch {
            #expect(error.description.hasPrefix("\(path):1: the lesson is 10.0 MB, larger than the 1 MB"), "\(error)")
        }
        #expect(Date().timeIntervalSince(start) < 1, "refusing took \(Date().timeIntervalSince(start)) s")
    }

    @Test func textOverTheLimitIsRefusedAndTextUnderItIsRead() throws {
        #expect(throws: LessonErrors.self) { try LessonParser.parse(Self.big(megabytes: 2), file: "big.md") }
        let lesson = try LessonParser.parse(LessonFixtures.lesson("## Step\n\nShort.\n"), file: "small.md")
        #expect(lesson.steps.count == 1)
    }

    @Test func tooManyStepsAreRefused() {
        let body = (1...(LessonParser.maxSteps + 1)).map { "## Step \($0)\n\nText.\n\n" }.joined()
        do {
            _ = try LessonParser.parse(LessonFixtures.lesson(body), file: "steps.md")
            Issue.record("\(LessonParser.maxSteps + 1) steps were accepted")
        } catch {
            #expect(error.description == "steps.md:1: the lesson has 201 steps, more than the 200 a lesson may have; "
                + "split it into several lessons")
        }
    }
}
