import Foundation
import Testing

/// The binary carries its lessons: copied elsewhere and run from another
/// folder, with no `$CNN_TUTOR_LESSONS`, it still lists and plays them.
@Suite struct CopiedBinaryTests {
    @Test func aCopiedBinaryRunsItsLessonsFromAnyFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cnn-copied-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("cnn-tutor")
        try FileManager.default.copyItem(atPath: try Tmux.binary, toPath: copy.path)

        func run(_ args: [String]) throws -> (status: Int32, out: String) {
            let p = Process()
            p.executableURL = copy
            p.arguments = args
            p.currentDirectoryURL = URL(fileURLWithPath: "/")
            p.environment = ["PATH": "/usr/bin:/bin", "HOME": dir.path, "LANG": "C.UTF-8"]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            p.standardInput = FileHandle.nullDevice
            // Another test's fork may still hold the fresh copy open for
            // writing for a moment, and exec then fails with ETXTBSY.
            for attempt in 1... {
                do {
                    try p.run()
                    break
                } catch let error as NSError where attempt < 50 && (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(ETXTBSY) {
                    usleep(100_000)
                }
            }
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return (p.terminationStatus, text)
        }

        let list = try run(["lessons", "list"])
        #expect(list.status == 0)
        let ids = list.out.split(separator: "\n").compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }
        #expect(ids.count >= 10, "\(list.out)")
        #expect(ids.contains("flatten-dense"), "\(list.out)")
        let played = try run(["play", "flatten-dense", "--headless"])
        #expect(played.status == 0)
        #expect(played.out.contains("11,574,090"))
    }
}
