import Foundation
import Testing
@testable import LessonKit

/// LearnerProgress survives, is written atomically, and a corrupt file is moved aside, never fatal.
@Suite struct ProgressStoreTests {
    func temporaryStore() -> ProgressStore {
        let dir = NSTemporaryDirectory() + "cnn-tutor-progress-\(UUID().uuidString)"
        return ProgressStore(directory: dir + "/cnn-tutor")
    }

    @Test func roundTrip() throws {
        let store = temporaryStore()
        #expect(store.load().0 == LearnerProgress())
        try store.update("flatten-dense") { $0.step = 3; $0.quizzesRight = 2 }
        let (loaded, warning) = store.load()
        #expect(warning == nil)
        #expect(loaded.lessons["flatten-dense"]?.step == 3)
        #expect(loaded.lastLesson == "flatten-dense")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.directory).filter { $0 != "progress.json" }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    @Test(arguments: ["{not json", "", "{\"version\": 99, \"lessons\": {}}", "\u{0}\u{1}binary"])
    func corruptFileIsMovedAside(_ contents: String) throws {
        let store = temporaryStore()
        try FileManager.default.createDirectory(atPath: store.directory, withIntermediateDirectories: true)
        try contents.write(toFile: store.path, atomically: true, encoding: .utf8)
        let (progress, warning) = store.load()
        #expect(progress == LearnerProgress())
        #expect(warning?.contains("moved it to") == true)
        let files = try FileManager.default.contentsOfDirectory(atPath: store.directory)
        #expect(files.contains { $0.hasPrefix("progress.json.corrupt-") })
        #expect(!files.contains("progress.json"))
        // The old bytes are kept for the learner to inspect.
        let aside = files.first { $0.hasPrefix("progress.json.corrupt-") }!
        #expect(FileManager.default.contents(atPath: store.directory + "/" + aside) == Data(contents.utf8))
        try store.update("x") { $0.completed = true }
        #expect(store.load().0.lessons["x"]?.completed == true)
    }

    @Test func standardLocationFollowsXDG() {
        #expect(ProgressStore.standard(environment: ["XDG_STATE_HOME": "/tmp/state", "HOME": "/home/a"]).path == "/tmp/state/cnn-tutor/progress.json")
        #expect(ProgressStore.standard(environment: ["HOME": "/home/a"]).path == "/home/a/.local/state/cnn-tutor/progress.json")
        #expect(ProgressStore.standard(environment: ["XDG_STATE_HOME": "relative", "HOME": "/home/a"]).path == "/home/a/.local/state/cnn-tutor/progress.json")
    }

    @Test func unwritableFolderThrowsInsteadOfCrashing() {
        let store = ProgressStore(directory: "/proc/cnn-tutor-cannot-exist")
        do {
            try store.save(LearnerProgress())
            Issue.record("saving into /proc succeeded")
        } catch {
            #expect(error.path == "/proc/cnn-tutor-cannot-exist/progress.json")
            #expect(error.description.hasPrefix("progress not saved to /proc/cnn-tutor-cannot-exist/progress.json: "
                + "can't create the folder /proc/cnn-tutor-cannot-exist: "), "\(error)")
        }
    }

    /// A state folder whose parent is a file (root ignores permissions, so this stands in for a read-only folder).
    @Test func aFolderThatCantBeMadeNamesTheFileAndTheReason() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cnn-progress-file-\(getpid())").path
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(throws: ProgressSaveError(path: file + "/state/progress.json",
                                          reason: "can't create the folder \(file)/state: Not a directory")) {
            try ProgressStore(directory: file + "/state").update("lesson") { $0.step = 2 }
        }
    }
}
