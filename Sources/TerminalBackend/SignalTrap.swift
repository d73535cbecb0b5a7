import Glibc
import Synchronization

/// The last SIGINT, SIGTERM or SIGHUP received, 0 when none; written by the handler only.
private let caughtSignal = Atomic<Int32>(0)
/// Where the handler writes a byte to wake the loop's `poll` (-1: nowhere).
private let wakeDescriptor = Atomic<Int32>(-1)

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
            action.__sigaction_handler.sa_handler = { sig in
                let first = caughtSignal.exchange(sig, ordering: .acquiringAndReleasing)
                let fd = wakeDescriptor.load(ordering: .relaxed)
                if fd >= 0 {
                    var byte: UInt8 = 1
                    _ = write(fd, &byte, 1)
                }
                guard TerminalGuard.isArmed else { return }
                if first != 0 { TerminalGuard.terminate(with: sig) }
                alarm(SignalTrap.gracePeriod)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
        }
        var watchdog = sigaction()
        watchdog.__sigaction_handler.sa_handler = { _ in
            let sig = caughtSignal.load(ordering: .acquiring)
            guard sig != 0, TerminalGuard.isArmed else { return }
            TerminalGuard.terminate(with: sig)
        }
        sigemptyset(&watchdog.sa_mask)
        watchdog.sa_flags = 0
        sigaction(SIGALRM, &watchdog, nil)
    }

    /// Makes a caught signal also write a byte to `fd`, which wakes a loop blocked in `poll` on its other end.
    public static func wake(writingTo fd: Int32) {
        wakeDescriptor.store(fd, ordering: .relaxed)
    }

    /// Puts the default handlers back and cancels a pending watchdog.
    public static func uninstall() {
        wakeDescriptor.store(-1, ordering: .relaxed)
        alarm(0)
        for sig in signals + [SIGALRM] { signal(sig, SIG_DFL) }
    }

    /// The signal caught since start, or nil.
    public static var caught: Int32? {
        let s = caughtSignal.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    /// The conventional exit status for a signal: 128 + its number.
    public static func exitCode(for signal: Int32) -> Int32 { 128 + signal }
}
