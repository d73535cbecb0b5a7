import Glibc
import Synchronization

/// Restores the terminal on every way out of curses mode: a crash signal,
/// SIGQUIT, a polite signal the loop did not get to, and `exit()`.
///
/// ``CursesTerminal`` arms it on start and disarms it on stop. While armed:
///
/// - SIGQUIT and the crash signals (SEGV, BUS, ILL, FPE, ABRT, TRAP) write the
///   saved terminal modes back (`tcsetattr`) and the escape sequences that
///   leave the alternate screen and show the cursor (captured at start), then
///   hand a crash signal on to Swift's backtracer, and re-raise the signal
///   with its default action, so the exit status stays 128 + the signal.
/// - Standard error, when it is a terminal, goes to a session log instead of
///   over the alternate screen. A normal stop copies the log back to the
///   terminal; a crash keeps it as the crash report (the runtime's "Fatal
///   error" line and the backtrace) and names it.
/// - Swift's backtracer runs with standard input on /dev/null, so its
///   "Press space to interact" prompt can't wait for a key that never comes.
///   The runtime reads `SWIFT_BACKTRACE` once at process start; a user who
///   sets it gets its behaviour unchanged, on a restored terminal.
///
/// The handlers only call async-signal-safe functions (`write`, `tcsetattr`,
/// `dup2`, `open`, `rename`, `pread`, `sigaction`, `raise`) on memory prepared
/// when the guard was armed.
public enum TerminalGuard {
    /// The signals that end the process at once, with a restored terminal.
    public static let fatalSignals: [Int32] = [SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    /// Whether curses mode is on and the guard would restore it.
    public static var isArmed: Bool { armed.load(ordering: .acquiring) }

    /// The file that receives standard error while armed, if it was redirected.
    public static var sessionLogPath: String? {
        guard isArmed, let p = state.pointee.logPath else { return nil }
        return String(cString: p)
    }

    /// Sets up what the handlers read, so that none of it is first touched inside a handler.
    static func prepare() {
        _ = state
        _ = armed.load(ordering: .relaxed)
        _ = restoring.load(ordering: .relaxed)
    }

    /// Saves the terminal's modes; call before `newterm` changes them.
    static func saveModes() {
        prepare()
        let s = state
        s.pointee.termiosFD = -1
        for fd: Int32 in [0, 1] where isatty(fd) == 1 {
            if tcgetattr(fd, &s.pointee.termios) == 0 {
                s.pointee.termiosFD = fd
                break
            }
        }
    }

    /// Starts guarding: keeps the bytes that undo curses mode and installs the handlers.
    ///
    /// - Parameter restoreSequence: what `endwin` would write (attributes
    ///   off, keypad off, cursor on, alternate screen off, modes off).
    static func arm(restoreSequence: [UInt8]) {
        let s = state
        s.pointee.restore?.deallocate()
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(restoreSequence.count, 1))
        bytes.initialize(from: restoreSequence, count: restoreSequence.count)
        s.pointee.restore = bytes
        s.pointee.restoreCount = restoreSequence.count
        s.pointee.userBacktrace = getenv("SWIFT_BACKTRACE") != nil
        redirectStandardError()
        installAlternateStack()
        for sig in fatalSignals { install(sig, handler: fatalHandler) }
        // A parent may have started us with SIGQUIT blocked; the guard must see it.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in fatalSignals { sigaddset(&unblock, sig) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        if !atexitRegistered.exchange(true, ordering: .acquiringAndReleasing) {
            atexit { TerminalGuard.restoreOnExit() }
        }
        restoring.store(false, ordering: .releasing)
        armed.store(true, ordering: .releasing)
    }

    /// Stops guarding after curses mode ended normally: standard error comes
    /// back (with what was written to it meanwhile) and the previous handlers return.
    static func disarm() {
        guard armed.exchange(false, ordering: .acquiringAndReleasing) else { return }
        for sig in fatalSignals { uninstall(sig) }
        restoreStandardError(keepLog: false)
    }

    /// Restores the terminal now, re-raises `signal` with its default action, and never returns.
    ///
    /// For a polite signal whose loop did not exit in time, and for a second
    /// one; safe to call from a signal handler.
    static func terminate(with signal: Int32) -> Never {
        restoreTerminal()
        restoreStandardError(keepLog: false)
        reraise(signal)
    }

    // MARK: - Restoring

    /// Writes the saved modes and the undo sequence; async-signal-safe.
    static func restoreTerminal() {
        let s = state
        if let bytes = s.pointee.restore, s.pointee.restoreCount > 0 {
            writeAll(1, bytes, s.pointee.restoreCount)
        }
        if s.pointee.termiosFD >= 0 {
            _ = tcsetattr(s.pointee.termiosFD, TCSANOW, &s.pointee.termios)
        }
    }

    /// The `atexit` path: a process that exits with curses still on gets its terminal back.
    private static func restoreOnExit() {
        guard armed.exchange(false, ordering: .acquiringAndReleasing) else { return }
        restoreTerminal()
        restoreStandardError(keepLog: false)
    }

    // MARK: - Handlers

    private static let fatalHandler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = {
        sig, info, context in
        // A second fault while restoring (or on another thread) must not loop.
        if restoring.exchange(true, ordering: .acquiringAndReleasing) { reraise(sig) }
        let wasArmed = armed.exchange(false, ordering: .acquiringAndReleasing)
        if wasArmed { restoreTerminal() }
        let s = state
        // What the app wrote to standard error first (a "Fatal error" line), kept as a file.
        let kept = restoreStandardError(keepLog: sig != SIGQUIT)
        guard sig != SIGQUIT else { reraise(sig) }
        put("cnn-tutor: crashed on ")
        put(name(of: sig))
        put("; the terminal is restored\n")
        if kept, let path = s.pointee.crashPath {
            put("cnn-tutor: what it wrote to standard error before is kept in ")
            writeAll(2, UnsafeRawPointer(path).assumingMemoryBound(to: UInt8.self), strlen(path))
            put("\n")
        }
        let previous = s.pointee.previous.advanced(by: Int(sig))
        if previous.pointee.sa_flags & SA_SIGINFO != 0, let backtracer = previous.pointee.__sigaction_handler.sa_sigaction {
            if !s.pointee.userBacktrace {
                let null = open("/dev/null", O_RDONLY)
                if null >= 0 { _ = dup2(null, 0) }
            }
            backtracer(sig, info, context)
        }
        reraise(sig)
    }

    /// Puts the default action back, unblocks the signal and raises it again.
    static func reraise(_ sig: Int32) -> Never {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&action.sa_mask)
        sigaction(sig, &action, nil)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, sig)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(sig)
        // A signal whose default is to be ignored would get here; still end as the signal would.
        _exit(128 + sig)
    }

    private static func install(_ sig: Int32, handler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void) {
        let s = state
        let installed = s.pointee.installed.advanced(by: Int(sig))
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_SIGINFO | SA_ONSTACK
        if installed.pointee {
            sigaction(sig, &action, nil)
        } else {
            sigaction(sig, &action, s.pointee.previous.advanced(by: Int(sig)))
            installed.pointee = true
        }
    }

    private static func uninstall(_ sig: Int32) {
        let s = state
        let installed = s.pointee.installed.advanced(by: Int(sig))
        guard installed.pointee else { return }
        sigaction(sig, s.pointee.previous.advanced(by: Int(sig)), nil)
        installed.pointee = false
    }

    /// A stack for the handlers, so a stack overflow's SIGSEGV can still run them.
    private static func installAlternateStack() {
        var current = stack_t()
        guard sigaltstack(nil, &current) == 0, current.ss_flags & Int32(SS_DISABLE) != 0 else { return }
        let size = 256 * 1024
        guard let memory = malloc(size) else { return }
        var stack = stack_t(ss_sp: memory, ss_flags: 0, ss_size: size)
        if sigaltstack(&stack, nil) != 0 { free(memory) }
    }

    // MARK: - Standard error

    /// Sends standard error to a session log while curses owns the screen (only when it is a terminal).
    private static func redirectStandardError() {
        let s = state
        guard s.pointee.logFD < 0, isatty(2) == 1 else { return }
        let dir = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let pid = getpid()
        let log = "\(dir)/cnn-tutor-\(pid).log"
        let crash = "\(dir)/cnn-tutor-crash-\(pid).txt"
        let fd = open(log, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let saved = dup(2)
        guard saved >= 0, dup2(fd, 2) >= 0 else {
            close(fd)
            unlink(log)
            if saved >= 0 { close(saved) }
            return
        }
        s.pointee.logFD = fd
        s.pointee.savedStderr = saved
        s.pointee.logPath = strdup(log)
        s.pointee.crashPath = strdup(crash)
    }

    /// Points standard error back at the terminal and copies the log there;
    /// keeps a non-empty log (for a crash), or deletes it. Async-signal-safe.
    ///
    /// - Returns: whether a log was kept.
    @discardableResult
    private static func restoreStandardError(keepLog: Bool) -> Bool {
        let s = state
        guard s.pointee.savedStderr >= 0, s.pointee.logFD >= 0 else { return false }
        _ = dup2(s.pointee.savedStderr, 2)
        close(s.pointee.savedStderr)
        s.pointee.savedStderr = -1
        // Up to 1 MB: the crash report, or what was written while the screen was busy.
        let chunk = 4096
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: chunk) { buffer in
            var offset = 0
            while offset < 1 << 20 {
                let n = pread(s.pointee.logFD, buffer.baseAddress, chunk, off_t(offset))
                if n <= 0 { break }
                writeAll(2, buffer.baseAddress!, n)
                offset += n
            }
        }
        var end = stat()
        let empty = fstat(s.pointee.logFD, &end) != 0 || end.st_size == 0
        close(s.pointee.logFD)
        s.pointee.logFD = -1
        guard let log = s.pointee.logPath else { return false }
        if keepLog, !empty, let crash = s.pointee.crashPath, rename(log, crash) == 0 { return true }
        _ = unlink(log)
        return false
    }

    // MARK: - Writing without allocating

    private static func put(_ text: StaticString) {
        writeAll(2, text.utf8Start, text.utf8CodeUnitCount)
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafePointer<UInt8>, _ count: Int) {
        var done = 0
        while done < count {
            let n = write(fd, bytes + done, count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            done += n
        }
    }

    /// A signal's name and what usually sends it, without allocating.
    static func name(of sig: Int32) -> StaticString {
        switch sig {
        case SIGSEGV: return "SIGSEGV (a bad memory access)"
        case SIGBUS: return "SIGBUS (a bad memory access)"
        case SIGILL: return "SIGILL (a Swift runtime trap or an illegal instruction)"
        case SIGTRAP: return "SIGTRAP (a Swift runtime trap)"
        case SIGFPE: return "SIGFPE (an arithmetic fault)"
        case SIGABRT: return "SIGABRT (an abort, such as a failed allocation)"
        case SIGQUIT: return "SIGQUIT"
        default: return "a signal"
        }
    }

    // MARK: - State the handlers read

    private struct State {
        var restore: UnsafeMutablePointer<UInt8>?
        var restoreCount = 0
        var termios = Glibc.termios()
        var termiosFD: Int32 = -1
        var logFD: Int32 = -1
        var savedStderr: Int32 = -1
        var logPath: UnsafeMutablePointer<CChar>?
        var crashPath: UnsafeMutablePointer<CChar>?
        var userBacktrace = false
        /// The handlers that were there before, by signal number (Swift's backtracer's, usually).
        var previous: UnsafeMutablePointer<sigaction>
        var installed: UnsafeMutablePointer<Bool>
    }

    // Raw memory, not a Swift global `var`: a handler that interrupts an
    // access to a `var` would trip the exclusivity check.
    nonisolated(unsafe) private static let state: UnsafeMutablePointer<State> = {
        let p = UnsafeMutablePointer<State>.allocate(capacity: 1)
        let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
        previous.initialize(repeating: sigaction(), count: 65)
        let installed = UnsafeMutablePointer<Bool>.allocate(capacity: 65)
        installed.initialize(repeating: false, count: 65)
        p.initialize(to: State(previous: previous, installed: installed))
        return p
    }()
    private static let armed = Atomic<Bool>(false)
    private static let restoring = Atomic<Bool>(false)
    private static let atexitRegistered = Atomic<Bool>(false)
}
