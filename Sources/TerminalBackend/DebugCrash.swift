import Glibc

/// A hidden way to make the app fail on purpose once its first frame is on
/// screen, so that tests can check the terminal comes back: set
/// `CNN_TUTOR_DEBUG_CRASH` to `trap` (a Swift runtime trap), `segv` (a bad
/// memory access), `abort`, `exit` (exit(3) with curses still on) or `hang`
/// (the loop stops answering, so only the signal watchdog can end it).
struct DebugCrash {
    enum Mode: String { case trap, segv, abort, exit, hang }
    var mode: Mode

    init?(environment: [String: String]) {
        guard let value = environment["CNN_TUTOR_DEBUG_CRASH"], let mode = Mode(rawValue: value) else { return nil }
        self.mode = mode
    }

    func fire() {
        switch mode {
        case .trap: fatalError("CNN_TUTOR_DEBUG_CRASH=trap: a deliberate trap")
        case .segv:
            let p = UnsafeMutablePointer<Int>(bitPattern: 16)
            p?.pointee = 1
        case .abort: abort()
        case .exit: exit(3)
        case .hang:
            while true { usleep(1_000_000) }
        }
    }
}
