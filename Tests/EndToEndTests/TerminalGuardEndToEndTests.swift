import Foundation
import Testing

/// The terminal comes back on every way out: a Swift trap, a bad memory
/// access, an abort, `exit()` with curses on, Ctrl-\, and a loop that stopped answering.
@Suite(.serialized, .enabled(if: Tmux.tmuxPath != nil, "needs tmux"))
struct TerminalGuardEndToEndTests {
    /// Starts `cnn-tutor build` with `CNN_TUTOR_DEBUG_CRASH=mode`, after saving the terminal modes.
    func launch(_ tmux: Tmux, crash mode: String?) throws {
        try tmux.shell("stty -g > before.stty; clear")
        let env = mode.map { "CNN_TUTOR_DEBUG_CRASH=\($0) " } ?? ""
        try tmux.shell("\(env)TERM=xterm-256color NCURSES_NO_UTF8_ACS=1 \(Tmux.binary) build; echo EXIT=$?")
    }

    /// The pane with its scrollback, since a backtrace pushes the first lines off screen.
    func history(_ tmux: Tmux) throws -> String {
        try tmux.run(["capture-pane", "-p", "-J", "-S", "-2000", "-t", tmux.session])
    }

    #if arch(x86_64)
    static let trapSignal: Int32 = SIGILL
    #else
    static let trapSignal: Int32 = SIGTRAP
    #endif

    @Test func aSwiftTrapRestoresTheTerminalAndKeepsTheFatalErrorLine() throws {
        let tmux = try Tmux()
        try launch(tmux, crash: "trap")
        try AppEndToEndTests().expectRestored(tmux, exit: 128 + Self.trapSignal)
        let text = try history(tmux)
        #expect(text.contains("Fatal error: CNN_TUTOR_DEBUG_CRASH=trap: a deliberate trap"), "\(text)")
        #expect(text.contains("cnn-tutor: crashed on SIG"), "\(text)")
        let kept = text.split(separator: "\n").first { $0.contains("kept in ") }
        let path = try #require(kept.map { String($0[$0.range(of: "kept in ")!.upperBound...]) }, "no file named:\n\(text)")
        let report = try String(contentsOfFile: path.trimmingCharacters(in: .whitespaces), encoding: .utf8)
        #expect(report.contains("Fatal error: CNN_TUTOR_DEBUG_CRASH=trap"))
        try? FileManager.default.removeItem(atPath: path)
    }

    @Test(arguments: [("segv", Int32(128 + SIGSEGV)), ("abort", Int32(128 + SIGABRT)), ("exit", Int32(3))])
    func otherWaysOutRestoreTheTerminal(_ mode: String, _ status: Int32) throws {
        let tmux = try Tmux()
        try launch(tmux, crash: mode)
        try AppEndToEndTests().expectRestored(tmux, exit: status)
    }

    @Test func ctrlBackslashQuitsWithTheTerminalRestored() throws {
        let tmux = try Tmux()
        try launch(tmux, crash: nil)
        #expect(try tmux.waitFor("1 Builder").ok)
        try tmux.press("C-\\")
        try AppEndToEndTests().expectRestored(tmux, exit: 128 + SIGQUIT)
    }

    /// The loop never reads the flag, so only the guard's watchdog can end it, within its grace period.
    @Test func aStuckLoopStillEndsOnSIGTERM() throws {
        let tmux = try Tmux()
        try launch(tmux, crash: "hang")
        #expect(try tmux.waitFor("1 Builder").ok)
        let pid = try #require(try tmux.childPID(), "no app process under the pane's shell")
        let start = Date()
        #expect(kill(pid, SIGTERM) == 0)
        try AppEndToEndTests().expectRestored(tmux, exit: 128 + SIGTERM)
        #expect(Date().timeIntervalSince(start) < 6, "the stuck app took \(Date().timeIntervalSince(start)) s to end")
    }
}
