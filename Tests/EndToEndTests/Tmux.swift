import Foundation
import Testing

/// A private tmux server with one pane running a clean shell, for driving the app as a person would.
///
/// Every wait polls the pane until the text appears or a deadline passes;
/// nothing sleeps for a fixed time.
final class Tmux {
    let socket: String
    let session = "e2e"
    let directory: URL

    /// The binary under test: `$CNN_TUTOR_BIN`, else the `cnn-tutor` that `swift test` built beside these tests.
    ///
    /// Throws, and so fails the test that asks, when the binary is missing or
    /// older than a file under `Sources/` or `Lessons/` or than `Package.swift`
    /// (a stale binary would test old code).
    static var binary: String {
        get throws { try located.get() }
    }

    private static let located = Result { () throws(Spawn.Failure) in try locateBinary() }

    private static func locateBinary() throws(Spawn.Failure) -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path: String, missing: String
        if let env = ProcessInfo.processInfo.environment["CNN_TUTOR_BIN"], !env.isEmpty {
            path = env.hasPrefix("/") ? env : root.appendingPathComponent(env).path
            missing = "CNN_TUTOR_BIN names no executable file: build it, or unset CNN_TUTOR_BIN to test the one `swift test` builds"
        } else {
            path = builtProducts.appendingPathComponent("cnn-tutor").path
            missing = "`swift test` builds it beside the tests; after `swift test --skip-build`, run `swift build` first"
        }
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: path) else {
            throw Spawn.Failure(description: "no cnn-tutor binary at \(path): \(missing)")
        }
        func modified(_ p: String) -> Date { ((try? fm.attributesOfItem(atPath: p))?[.modificationDate] as? Date) ?? .distantPast }
        let built = modified(path)
        var sources = [root.appendingPathComponent("Package.swift").path]
        for folder in ["Sources", "Lessons"] {
            let dir = root.appendingPathComponent(folder).path
            // Neither a README nor the build-time tool that embeds the lessons
            // is part of the binary: a change to them need not relink it.
            sources += (fm.subpaths(atPath: dir) ?? [])
                .filter { !$0.hasSuffix("README.md") && !$0.hasPrefix("embed-lessons") }.map { dir + "/" + $0 }
        }
        if let newer = sources.max(by: { modified($0) < modified($1) }), modified(newer) > built {
            throw Spawn.Failure(description: "\(path) is older than \(newer): it does not hold the latest sources; rebuild it (`swift build`, or `swift build -c release` for CNN_TUTOR_BIN=.build/release/cnn-tutor)")
        }
        return path
    }

    /// The folder of the running test bundle, where `swift test` puts the products it built.
    private static var builtProducts: URL {
        #if os(macOS)
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        #endif
        return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    static var tmuxPath: String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    init(width: Int = 100, height: Int = 30) throws {
        socket = "cnn-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let shell = "env -i PATH=/usr/bin:/bin HOME=\(directory.path) LANG=C.UTF-8 TERM=screen PS1='$ ' bash --norc --noprofile"
        try run(["new-session", "-d", "-s", session, "-c", directory.path, "-x", "\(width)", "-y", "\(height)", shell])
    }

    deinit {
        _ = try? run(["kill-server"])
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs a tmux command and returns its output.
    @discardableResult
    func run(_ args: [String]) throws -> String {
        let outURL = directory.appendingPathComponent("tmux-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outURL) }
        _ = try Spawn.run(Tmux.tmuxPath!, ["-L", socket] + args, output: outURL.path)
        return (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    }

    /// Types text literally (no key names).
    func type(_ text: String) throws { try run(["send-keys", "-t", session, "-l", text]) }

    /// Presses keys by tmux name: `Enter`, `Escape`, `C-c`, `q`.
    func press(_ keys: String...) throws { try run(["send-keys", "-t", session] + keys) }

    /// Types a shell command and presses Enter.
    func shell(_ command: String) throws {
        try type(command)
        try press("Enter")
    }

    /// The pane's text now.
    func capture() throws -> String { try run(["capture-pane", "-t", session, "-p"]) }

    /// A tmux format variable of the pane, such as `alternate_on`.
    func display(_ format: String) throws -> String {
        try run(["display", "-p", "-t", session, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Polls until `condition` holds for the pane's text, or `timeout` seconds pass.
    ///
    /// - Returns: the last capture, and whether the condition held.
    @discardableResult
    func waitFor(timeout: Double = 10, _ condition: (String) -> Bool) throws -> (ok: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        repeat {
            screen = try capture()
            if condition(screen) { return (true, screen) }
            usleep(30_000)  // the polling interval, not a wait for the app
        } while Date() < deadline
        return (false, screen)
    }

    /// Polls until the pane shows `text`.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 10) throws -> (ok: Bool, screen: String) {
        try waitFor(timeout: timeout) { $0.contains(text) }
    }

    /// Polls until a line starting `EXIT=<digits>` appears (the shell's `echo EXIT=$?`), and returns the status.
    func waitForExit(timeout: Double = 10) throws -> (status: Int32?, screen: String) {
        let r = try waitFor(timeout: timeout) { Tmux.exitStatus(in: $0) != nil }
        return (Tmux.exitStatus(in: r.screen), r.screen)
    }

    /// The status in the last `EXIT=<digits>` line of a capture.
    static func exitStatus(in screen: String) -> Int32? {
        for line in screen.split(separator: "\n").reversed() where line.hasPrefix("EXIT=") {
            if let n = Int32(line.dropFirst(5).prefix { $0.isNumber }) { return n }
        }
        return nil
    }

    /// Polls until the pane has left the alternate screen.
    func waitForMainScreen(timeout: Double = 10) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if try display("#{alternate_on}") == "0" { return true }
            usleep(30_000)
        } while Date() < deadline
        return false
    }

    /// The process id of the program running in the pane's shell, if any.
    func childPID() throws -> pid_t? {
        guard let shellPID = Int32(try display("#{pane_pid}")) else { return nil }
        let outURL = directory.appendingPathComponent("pgrep-out")
        defer { try? FileManager.default.removeItem(at: outURL) }
        _ = try Spawn.run("/usr/bin/pgrep", ["-P", "\(shellPID)"], output: outURL.path)
        let data = (try? Data(contentsOf: outURL)) ?? Data()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").first.flatMap { Int32($0) }
    }
}
