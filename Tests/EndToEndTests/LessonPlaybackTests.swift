import Foundation
import Testing

/// Lessons through the real binary: validate, headless play, recordings, progress, and `play --auto` in tmux.
@Suite(.serialized)
struct LessonPlaybackTests {
    /// Runs the binary and returns its exit status, stdout and stderr.
    func run(_ args: [String], environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try Tmux.binary)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cnn-lessons-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    // MARK: - Validate and list

    @Test func validatePassesOnTheShippedLessons() throws {
        let r = try run(["lessons", "validate"])
        #expect(r.status == 0, "\(r.out)\n\(r.err)")
        #expect(r.out.contains("ok: 10 lessons"))
    }

    @Test func validateReportsFileAndLineAndExitsOne() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let broken = "---\nid: broken\ntitle: Broken\norder: 1\n---\n\n## Step\n\n```quiz\nquestion: How many?\ncheck: total_params\n```\n\n```adds\nDense(10)\n```\n"
        try broken.write(to: dir.appendingPathComponent("broken.md"), atomically: true, encoding: .utf8)
        let r = try run(["lessons", "validate", dir.path])
        #expect(r.status == 1)
        #expect(r.out.contains("broken.md:9: quiz has no 'answer:'"), "\(r.out)")
        #expect(r.out.contains("broken.md:14: unknown action 'adds'"), "\(r.out)")
    }

    @Test func listShowsEveryLessonInOrder() throws {
        let r = try run(["lessons", "list"], environment: ["XDG_STATE_HOME": try temporaryDirectory().path])
        #expect(r.status == 0)
        let ids = r.out.split(separator: "\n").compactMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map(String.init) }
        #expect(ids.prefix(4) == ["tensors", "conv2d", "pooling-batchnorm", "flatten-dense"], "\(r.out)")
    }

    // MARK: - Headless play

    @Test func headlessPlayOfEveryLessonExitsZero() throws {
        for n in 1...10 {
            let r = try run(["play", String(n), "--headless"])
            #expect(r.status == 0, "lesson \(n): \(r.err)")
            #expect(r.out.contains("step 1/"), "lesson \(n) printed no steps")
            #expect(!r.out.contains("⟨"), "lesson \(n): a template failed")
        }
        #expect(try run(["play", "4", "--headless"]).out.contains("11,574,090"))
        #expect(try run(["play", "6", "--headless"]).out.contains("66,602"))
    }

    @Test func unknownLessonIsAClearError() throws {
        let r = try run(["play", "no-such-lesson", "--headless"])
        #expect(r.status == 1)
        #expect(r.err.contains("no lesson 'no-such-lesson'"))
    }

    // MARK: - Recording

    @Test func recordingIsAsciicastV2WithAMarkerPerStep() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cast = dir.appendingPathComponent("lesson.cast").path
        let r = try run(["play", "6", "--headless", "--record", cast, "--speed", "20"])
        #expect(r.status == 0, "\(r.err)")
        let lines = try String(contentsOfFile: cast, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = try #require(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(header["version"] as? Int == 2)
        #expect(header["width"] as? Int == 80)
        #expect(header["height"] as? Int == 24)
        #expect((header["title"] as? String)?.contains("Global pooling") == true)
        var last = -1.0
        var markers: [String] = []
        var output = ""
        for line in lines.dropFirst() {
            let event = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], "not an event: \(line)")
            #expect(event.count == 3)
            let time = try #require((event[0] as? NSNumber)?.doubleValue)
            let code = try #require(event[1] as? String)
            let data = try #require(event[2] as? String)
            #expect(time >= last, "time went back at \(line)")
            last = time
            #expect(code == "o" || code == "m")
            if code == "m" { markers.append(data) } else { output += data }
        }
        #expect(markers.count == 5, "\(markers)")
        #expect(markers.first == "step 1/5: Swap the head yourself")
        #expect(output.contains("66,602"))
    }

    // MARK: - Progress

    @Test func corruptProgressIsMovedAsideWithAWarning() throws {
        let state = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: state) }
        let dir = state.appendingPathComponent("cnn-tutor")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "{\"lessons\": [broken".write(to: dir.appendingPathComponent("progress.json"), atomically: true, encoding: .utf8)
        let r = try run(["lessons", "list"], environment: ["XDG_STATE_HOME": state.path])
        #expect(r.status == 0)
        #expect(r.err.contains("moved it to"), "\(r.err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files.contains { $0.hasPrefix("progress.json.corrupt-") }, "\(files)")
    }

    // MARK: - In the terminal

    @Test(.enabled(if: Tmux.tmuxPath != nil, "needs tmux"))
    func brokenLessonIsAWarningInTheMenuAndProgressIsKept() throws {
        let tmux = try Tmux(width: 100, height: 30)
        let lessons = tmux.directory.appendingPathComponent("lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        let good = "---\nid: good\ntitle: A good lesson\norder: 1\n---\n\n## Only step\n\n```input 32, 32, 3\n```\n\nThe input has {{product input_shape}} values.\n"
        try good.write(to: lessons.appendingPathComponent("good.md"), atomically: true, encoding: .utf8)
        try "---\nid: bad\ntitle: [broken\n---\n".write(to: lessons.appendingPathComponent("bad.md"), atomically: true, encoding: .utf8)
        let state = tmux.directory.appendingPathComponent(".local/state/cnn-tutor")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let saved = "{\"version\": 1, \"lessons\": {\"other\": {\"step\": 2, \"completed\": true, \"quizzesRight\": 1, \"quizzesAnswered\": 1}}}"
        try saved.write(to: state.appendingPathComponent("progress.json"), atomically: true, encoding: .utf8)

        try tmux.shell("CNN_TUTOR_LESSONS=lessons TERM=xterm-256color \(Tmux.binary); echo EXIT=$?")
        let menu = try tmux.waitFor("A good lesson")
        #expect(menu.ok, "the menu did not list the good lesson:\n\(menu.screen)")
        #expect(menu.screen.contains("bad.md:"), "the broken lesson was not reported:\n\(menu.screen)")
        try tmux.press("Enter")
        let opened = try tmux.waitFor("3,072")
        #expect(opened.ok, "the good lesson did not open:\n\(opened.screen)")
        try tmux.press("n")
        #expect(try tmux.waitFor("Press any key to go on").ok, "finishing the lesson did not show its summary")
        try tmux.press("Enter")
        #expect(try tmux.waitFor("Enter open / resume").ok, "the summary did not return to the menu")
        try tmux.press("q")
        #expect(try tmux.waitFor { $0.split(separator: "\n").contains { $0.hasPrefix("EXIT=0") } }.ok)
        let progress = try String(contentsOf: state.appendingPathComponent("progress.json"), encoding: .utf8)
        #expect(progress.contains("\"other\""), "progress of another lesson was lost:\n\(progress)")
        #expect(progress.contains("\"good\""), "the finished lesson was not recorded:\n\(progress)")
    }

    @Test(.enabled(if: Tmux.tmuxPath != nil, "needs tmux"))
    func autoPlaybackRunsToTheEndAndRestoresTheTerminal() throws {
        let tmux = try Tmux(width: 100, height: 30)
        try tmux.shell("stty -g > before.stty; clear")
        // At speed 10 the lesson is over in seconds, so what it showed is checked in its recording.
        try tmux.shell("TERM=xterm-256color \(Tmux.binary) play 6 --auto --speed 10 --record run.cast; echo EXIT=$?")
        // The command line itself holds "EXIT=", so wait for a line that starts with it.
        // The class demo ends on a summary that waits for a key.
        #expect(try tmux.waitFor("Press any key to go on", timeout: 60).ok, "playback never reached its summary")
        try tmux.press("Enter")
        let exited = try tmux.waitFor(timeout: 60) { $0.split(separator: "\n").contains { $0.hasPrefix("EXIT=") } }
        #expect(exited.screen.contains("EXIT=0"), "playback did not end cleanly:\n\(exited.screen)")
        #expect(try tmux.waitForMainScreen(), "the pane is still on the alternate screen")
        #expect(try tmux.display("#{cursor_flag}") == "1", "the cursor is still hidden")
        try tmux.shell("stty -g | cmp -s - before.stty && echo STTY-\"\"SAME || echo STTY-\"\"CHANGED")
        let stty = try tmux.waitFor { $0.contains("STTY-SAME") || $0.contains("STTY-CHANGED") }
        #expect(stty.screen.contains("STTY-SAME"), "stty -g changed:\n\(stty.screen)")
        let cast = try String(contentsOf: tmux.directory.appendingPathComponent("run.cast"), encoding: .utf8)
        // The screen is drawn as diffs, so only the step markers are plain text in the file.
        #expect(cast.contains("\"m\", \"step 1/5: Swap the head yourself\""), "the lesson never showed its first step")
        #expect(cast.contains("\"m\", \"step 5/5: One channel's mean, step by step\""), "the lesson did not reach its last step")
    }

    @Test(.enabled(if: Tmux.tmuxPath != nil, "needs tmux"))
    func playbackPausesAndQuitsOnKeys() throws {
        let tmux = try Tmux(width: 100, height: 30)
        try tmux.shell("TERM=xterm-256color \(Tmux.binary) play 4 --auto --speed 1; echo EXIT=$?")
        #expect(try tmux.waitFor("Space pause").ok)
        try tmux.press("Space")
        let paused = try tmux.waitFor("Space play")
        #expect(paused.ok, "space did not pause:\n\(paused.screen)")
        try tmux.press("n")
        #expect(try tmux.waitFor("2/4 Flatten").ok, "n did not step forward")
        try tmux.press("+")
        #expect(try tmux.waitFor("×1.5").ok, "+ did not speed up")
        try tmux.press("q")
        #expect(try tmux.waitFor { $0.split(separator: "\n").contains { $0.hasPrefix("EXIT=0") } }.ok)
    }

    @Test(.enabled(if: Tmux.tmuxPath != nil, "needs tmux"))
    func learnerAnswersAQuizAndProgressIsSaved() throws {
        let tmux = try Tmux(width: 100, height: 30)
        try tmux.shell("TERM=xterm-256color \(Tmux.binary) learn conv2d; echo EXIT=$?")
        #expect(try tmux.waitFor("answer ›").ok)
        try tmux.type("(221, 221, 32)")
        try tmux.press("Enter")
        #expect(try tmux.waitFor("Not quite").ok, "a wrong answer was not marked")
        try tmux.type("222, 222, 32")
        try tmux.press("Enter")
        let right = try tmux.waitFor("✓ 222, 222, 32")
        #expect(right.ok, "a right answer was not accepted:\n\(right.screen)")
        #expect(right.screen.contains("conv2d (Conv2D)"), "the reveal did not add the layer:\n\(right.screen)")
        try tmux.press("n")
        #expect(try tmux.waitFor("2/6 Counting the weights").ok)
        try tmux.press("Escape")
        #expect(try tmux.waitFor("Enter open / resume").ok, "Esc did not open the menu")
        try tmux.press("q")
        #expect(try tmux.waitFor { $0.split(separator: "\n").contains { $0.hasPrefix("EXIT=0") } }.ok)
        let progress = try String(contentsOf: tmux.directory.appendingPathComponent(".local/state/cnn-tutor/progress.json"), encoding: .utf8)
        #expect(progress.contains("\"conv2d\""))
        #expect(progress.contains("\"step\" : 1"))
    }
}
