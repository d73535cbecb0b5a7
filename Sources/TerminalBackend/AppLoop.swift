import Glibc
import TutorUI

/// Runs the app in the terminal: keys and effect results in, frames out.
///
/// One thread owns the state. It waits for a key with a timeout (so idle CPU
/// is about zero), feeds every message through `update`, hands effects to the
/// ``EffectRunner``, and draws only when something happened. Ctrl-C, SIGTERM
/// and SIGHUP restore the terminal before the process exits with 128 + signal.
public enum AppLoop {
    /// How a run ended.
    public enum Outcome {
        /// Curses ran; the exit status to return.
        case exited(Int32)
        /// Curses could not run; print the plain text and exit 0.
        case plainText(String)
    }

    /// Starts the app on `state`, or explains why it can't and returns the plain summary.
    ///
    /// - Parameter onFirstFrame: called once, right after the first frame is on screen.
    /// - Parameter exitAfterFirstFrame: leave right after the first frame (to measure start-up).
    public static func run(_ initial: AppState, effects initialEffects: [Effect] = [],
                           exitAfterFirstFrame: Bool = false, onFirstFrame: (() -> Void)? = nil) -> Outcome {
        let environment = ProcessEnvironment.current
        if let reason = TerminalCheck.reasonForPlainText() {
            return .plainText(PlainTextReport.text(for: initial, reason: reason))
        }
        SignalTrap.install()
        let terminal = CursesTerminal()
        do {
            try terminal.start(environment: environment)
        } catch {
            SignalTrap.uninstall()
            return .plainText(PlainTextReport.text(for: initial, reason: error.reason))
        }
        var state = initial
        state.mouseEnabled = terminal.mouseEnabled
        let runner = EffectRunner()
        var exitCode: Int32?
        func apply(_ msg: Msg) {
            for effect in update(&state, msg) {
                if case .quit(let code) = effect { exitCode = code } else { runner.run(effect) }
            }
        }
        let size = terminal.size
        apply(.setCapabilities(terminal.capabilities))
        apply(.resize(width: size.width, height: size.height))
        for effect in initialEffects { runner.run(effect) }

        var buffer = ScreenBuffer(width: size.width, height: size.height)
        view(state, into: &buffer)
        terminal.draw(buffer)
        onFirstFrame?()
        if exitAfterFirstFrame { exitCode = 0 }

        while exitCode == nil {
            if let sig = SignalTrap.caught {
                exitCode = SignalTrap.exitCode(for: sig)
                break
            }
            var changed = false
            if let input = terminal.readInput() {
                changed = true
                switch input {
                case .key(let key): apply(.key(key))
                case .mouse(let event): apply(.mouse(event))
                case .paste(let text): apply(.paste(text))
                case .resize:
                    let s = terminal.size
                    terminal.invalidate()
                    apply(.resize(width: s.width, height: s.height))
                }
            }
            for msg in runner.takeMessages() {
                apply(msg)
                changed = true
            }
            if case .running = state.features.status {
                apply(.tick)
                changed = true
            }
            if changed, exitCode == nil {
                view(state, into: &buffer)
                terminal.draw(buffer)
            }
        }
        terminal.stop()
        SignalTrap.uninstall()
        return .exited(exitCode ?? 0)
    }
}
