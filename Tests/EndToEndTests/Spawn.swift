import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program and waits for it with `posix_spawn` and `waitpid`.
///
/// Foundation's `Process` notices a child's exit through a descriptor the
/// child inherits; `tmux new-session` forks a server that keeps it open, so
/// `waitUntilExit` would never return.
enum Spawn {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `path` with `args`, stdin from /dev/null, stdout into `output`, stderr discarded.
    ///
    /// - Returns: the exit status.
    @discardableResult
    static func run(_ path: String, _ args: [String], output: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        // A test runner's threads may block signals, and a spawned process
        // inherits the mask: the app under test must see SIGINT, SIGTERM and SIGWINCH.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGPIPE] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw Failure(description: "can't run \(path): error \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status >> 8) & 0xFF
    }
}
