import Foundation
import Glibc
import TutorUI

/// The terminal as the loop's message source: keys, mouse, pastes, resizes and signals.
///
/// It blocks in `poll` on standard input and the wake-up pipe, so an idle
/// app uses no CPU; a signal interrupts the wait.
public final class TerminalSource: MessageSource {
    public let terminal: CursesTerminal
    public let wakeup = Wakeup()
    private let started = Date()

    public init(terminal: CursesTerminal) {
        self.terminal = terminal
        SignalTrap.wake(writingTo: wakeup.writeEnd)
    }

    public var size: (width: Int, height: Int) { terminal.size }
    public var capabilities: Capabilities { terminal.capabilities }
    public var now: Double { Date().timeIntervalSince(started) }

    public func next(until deadline: Double?, work: PendingWork) -> SourceBatch {
        if let sig = SignalTrap.caught { return .signal(sig) }
        // A signal writes to the wake-up pipe, so an idle wait needs no timeout.
        var timeout: Int32 = -1
        if let deadline { timeout = Int32(max(0, (deadline - now) * 1000)) }
        wakeup.wait(timeoutMs: timeout, alsoReading: STDIN_FILENO)
        if let sig = SignalTrap.caught { return .signal(sig) }
        var messages: [Msg] = []
        while let input = terminal.readInput() {
            switch input {
            case .key(let key): messages.append(.key(key))
            case .mouse(let event): messages.append(.mouse(event))
            case .paste(let text): messages.append(.paste(text))
            case .resize:
                let s = terminal.size
                terminal.invalidate()
                messages.append(.resize(width: s.width, height: s.height))
            }
        }
        if SignalTrap.takeKeyboardInterrupt() { return .keyboardInterrupt(after: messages) }
        return .messages(messages)
    }

    public func draw(_ buffer: ScreenBuffer) { terminal.draw(buffer) }
    public func setInterruptIsKey(_ on: Bool) { terminal.setInterruptIsKey(on) }
}

/// A clock with no terminal: time jumps to each deadline, and effects are waited for, never timed.
///
/// Recordings made with it are the same on any machine, and a program that
/// would wait forever (for a key no one will press, or for work no one is
/// doing) ends the run as ``ProgramLoop/Outcome/stalled(_:)``.
public final class VirtualSource: MessageSource {
    public let wakeup = Wakeup()
    public let size: (width: Int, height: Int)
    public let capabilities: Capabilities
    public private(set) var now: Double = 0
    /// Virtual seconds after which the run counts as stalled.
    let maxSeconds: Double
    /// Real seconds the run may spend waiting for effects.
    let maxWorkSeconds: Double
    private var workSeconds: Double = 0

    public init(width: Int, height: Int, capabilities: Capabilities = .full, maxSeconds: Double = 4 * 3600,
                maxWorkSeconds: Double = 600) {
        self.size = (width, height)
        self.capabilities = capabilities
        self.maxSeconds = maxSeconds
        self.maxWorkSeconds = maxWorkSeconds
    }

    public func next(until deadline: Double?, work: PendingWork) -> SourceBatch {
        switch work {
        case .running:
            let start = Date()
            wakeup.wait(timeoutMs: 200)
            workSeconds += Date().timeIntervalSince(start)
            if workSeconds > maxWorkSeconds {
                return .stalled("still computing after \(Int(maxWorkSeconds)) s")
            }
            return .messages([])
        case .orphaned:
            return .stalled("waiting for a result that no computation will bring")
        case .none:
            guard let deadline else { return .stalled("waiting for a key") }
            now = max(now, deadline)
            if now > maxSeconds { return .stalled("still playing after \(Int(maxSeconds / 60)) minutes") }
            return .messages([])
        }
    }

    public func draw(_ buffer: ScreenBuffer) {}
}
