import Glibc
import Synchronization

/// The last SIGINT, SIGTERM or SIGHUP received, 0 when none; written by the handler only.
private let caughtSignal = Atomic<Int32>(0)
/// True from a Ctrl-C typed at the terminal (a SIGINT the kernel sent, not `kill`) until the loop takes it.
private let keyboardInterrupt = Atomic<Bool>(false)
/// Where the handler writes a byte to wake the loop's `poll` (-1: nowhere).
private let wakeDescriptor = Atomic<Int32>(-1)
/// ncurses' own SIGWINCH handler, which the resize handler calls first; written once before it is installed.
nonisolated(unsafe) private var cursesResizeHandler: (@convention(c) (Int32) -> Void)?
nonisolated(unsafe) private var wakeResizeInstalled = false

/// Writes a byte to the loop's wake-up pipe; async-signal-safe.
private func wakeLoop() {
    let fd = wakeDescriptor.load(ordering: .relaxed)
    guard fd >= 0 else { return }
    var byte: UInt8 = 1
    _ = write(fd, &byte, 1)
}

/// Catches SIGINT, SIGTERM and SIGHUP into an atomic flag that the input loop polls.
///
/// Installed before `newterm`, so ncurses keeps its hands off them; the loop
/// then leaves curses mode itself and exits with 128 + the signal number.
/// A loop that is stuck doesn't leave the terminal broken: a second signal,
/// or the first one unanswered for ``gracePeriod`` seconds, makes
/// ``TerminalGuard`` restore the terminal and end the process by the signal.
public enum SignalTrap {
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Seconds the loop has to answer a signal before the guard ends the process.
    public static let gracePeriod: UInt32 = 2

    /// Installs the handlers, and unblocks the signals in case the parent started us with them blocked.
    public static func install() {
        TerminalGuard.prepare()
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in signals + [SIGWINCH, SIGALRM] { sigaddset(&unblock, sig) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for sig in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = { sig, info, _ in
                // A Ctrl-C from the keyboard may have been typed just after a key that opens a
                // prompt, before the loop made Ctrl-C a key: the loop decides (``takeKeyboardInterrupt()``).
                // A second one before the loop took the first counts as the signal.
                if sig == SIGINT, let info, info.pointee.si_code == SignalTrap.fromKernel,
                   caughtSignal.load(ordering: .relaxed) == 0,
                   !keyboardInterrupt.exchange(true, ordering: .acquiringAndReleasing) {
                    wakeLoop()
                    if TerminalGuard.isArmed { alarm(SignalTrap.gracePeriod) }
                    return
                }
                let first = caughtSignal.exchange(sig, ordering: .acquiringAndReleasing)
                wakeLoop()
                guard TerminalGuard.isArmed else { return }
                if first != 0 { TerminalGuard.terminate(with: sig) }
                alarm(SignalTrap.gracePeriod)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_SIGINFO
            sigaction(sig, &action, nil)
        }
        var watchdog = sigaction()
        watchdog.__sigaction_handler.sa_handler = { _ in
            var sig = caughtSignal.load(ordering: .acquiring)
            if sig == 0, keyboardInterrupt.load(ordering: .acquiring) { sig = SIGINT }
            guard sig != 0, TerminalGuard.isArmed else { return }
            TerminalGuard.terminate(with: sig)
        }
        sigemptyset(&watchdog.sa_mask)
        watchdog.sa_flags = 0
        sigaction(SIGALRM, &watchdog, nil)
    }

    /// Makes a caught signal, and a resize, write a byte to `fd`, which wakes a loop blocked in `poll` on its other end.
    ///
    /// Call it after curses started: the resize handler runs ncurses' own
    /// first. A signal may land on any thread, so `poll` on the loop's thread
    /// is not always interrupted; the pipe always wakes it.
    public static func wake(writingTo fd: Int32) {
        wakeDescriptor.store(fd, ordering: .relaxed)
        var old = sigaction()
        sigaction(SIGWINCH, nil, &old)
        let previous = old.__sigaction_handler.sa_handler
        if let previous, unsafeBitCast(previous, to: Int.self) > 1 { cursesResizeHandler = previous }  // not SIG_DFL (0) or SIG_IGN (1)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { sig in
            cursesResizeHandler?(sig)
            wakeLoop()
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGWINCH, &action, nil)
        wakeResizeInstalled = true
    }

    /// Puts the default handlers back and cancels a pending watchdog.
    public static func uninstall() {
        wakeDescriptor.store(-1, ordering: .relaxed)
        // Curses has stopped by now, so its resize handler must not run again.
        if wakeResizeInstalled { signal(SIGWINCH, SIG_DFL) }
        wakeResizeInstalled = false
        alarm(0)
        keyboardInterrupt.store(false, ordering: .relaxed)
        for sig in signals + [SIGALRM] { signal(sig, SIG_DFL) }
    }

    /// `si_code` of a signal the kernel itself sent: a terminal's Ctrl-C (SI_KERNEL), not `kill`.
    static let fromKernel: Int32 = 0x80

    /// True, once, after a Ctrl-C typed at the terminal raised SIGINT; it also
    /// cancels the watchdog, since the loop has answered.
    public static func takeKeyboardInterrupt() -> Bool {
        guard keyboardInterrupt.load(ordering: .acquiring) else { return false }
        if caughtSignal.load(ordering: .acquiring) == 0 { alarm(0) }
        return keyboardInterrupt.exchange(false, ordering: .acquiringAndReleasing)
    }

    /// The signal caught since start, or nil.
    public static var caught: Int32? {
        let s = caughtSignal.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    /// The conventional exit status for a signal: 128 + its number.
    public static func exitCode(for signal: Int32) -> Int32 { 128 + signal }
}
