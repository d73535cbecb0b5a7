import Glibc
import Synchronization

/// The last SIGINT, SIGTERM or SIGHUP received, 0 when none; written by the handler only.
private let caughtSignal = Atomic<Int32>(0)

/// Catches SIGINT, SIGTERM and SIGHUP into an atomic flag that the input loop polls.
///
/// Installed before `newterm`, so ncurses keeps its hands off them; the loop
/// then leaves curses mode itself and exits with 128 + the signal number.
public enum SignalTrap {
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handlers, and unblocks the signals in case the parent started us with them blocked.
    public static func install() {
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in signals + [SIGWINCH] { sigaddset(&unblock, sig) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for sig in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in caughtSignal.store(sig, ordering: .relaxed) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
        }
    }

    /// Puts the default handlers back.
    public static func uninstall() {
        for sig in signals { signal(sig, SIG_DFL) }
    }

    /// The signal caught since start, or nil.
    public static var caught: Int32? {
        let s = caughtSignal.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    /// The conventional exit status for a signal: 128 + its number.
    public static func exitCode(for signal: Int32) -> Int32 { 128 + signal }
}
