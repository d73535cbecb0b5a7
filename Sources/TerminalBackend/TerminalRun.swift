import Glibc
import TutorUI

/// Runs a program full-screen in the terminal, or says why it can't.
///
/// Checks that both ends are a terminal ncurses can drive, installs the
/// signal handlers, runs the ``ProgramLoop`` and always restores the terminal.
public enum TerminalRun {
    /// How a run ended.
    public enum Outcome {
        /// Curses ran; the exit status to return.
        case exited(Int32)
        /// Curses could not run, for this reason; the caller prints plain text instead.
        case noTerminal(String)
    }

    /// Runs `program` until it exits or a signal ends it.
    ///
    /// - Parameters:
    ///   - afterMessages: called after each batch of messages (saving progress, say).
    ///   - onFrame: called after each frame, with the time in seconds since the start.
    ///   - exitAfterFirstFrame: leave right after the first frame (to measure start-up).
    public static func run<P: Program>(_ program: P, afterMessages: @escaping (inout P) -> Void = { _ in },
                                       onFrame: @escaping ProgramLoop.FrameHook<P> = { _, _, _ in },
                                       exitAfterFirstFrame: Bool = false) -> (Outcome, P) {
        if let reason = TerminalCheck.reasonForPlainText() { return (.noTerminal(reason), program) }
        SignalTrap.install()
        defer { SignalTrap.uninstall() }
        let terminal = CursesTerminal()
        do {
            try terminal.start(environment: ProcessEnvironment.current, inputTimeoutMs: 0)
        } catch {
            return (.noTerminal(error.reason), program)
        }
        defer { terminal.stop() }
        let source = TerminalSource(terminal: terminal)
        if exitAfterFirstFrame {
            var program = program
            var buffer = ScreenBuffer(width: source.size.width, height: source.size.height)
            _ = program.handle(.setCapabilities(source.capabilities))
            _ = program.handle(.resize(width: source.size.width, height: source.size.height))
            program.draw(into: &buffer)
            source.draw(buffer)
            return (.exited(0), program)
        }
        let (outcome, final) = ProgramLoop.run(program, source: source, afterMessages: afterMessages, onFrame: onFrame)
        switch outcome {
        case .exited(let code): return (.exited(code), final)
        case .signalled(let sig): return (.exited(SignalTrap.exitCode(for: sig)), final)
        // The terminal always has a key to wait for; only a virtual clock stalls.
        case .stalled(let why): return (.noTerminal(why), final)
        }
    }
}
