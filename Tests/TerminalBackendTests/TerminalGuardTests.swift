import Glibc
import Testing
@testable import TerminalBackend

/// The guard, in a forked child: whatever ends the process, the restore
/// sequence reaches the terminal first and the process ends as the signal would.
@Suite(.serialized) struct TerminalGuardTests {
    enum Ending: CaseIterable { case quit, secondSIGTERM, exitWithCursesOn }

    /// Forks, arms the guard with a marker as the restore sequence (standard
    /// output into a pipe), ends the child the given way, and returns what it wrote and how it ended.
    func run(_ ending: Ending) throws -> (output: String, signal: Int32?, status: Int32?) {
        TerminalGuard.prepare()
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let pid = fork()
        if pid == 0 {
            dup2(fds[1], 1)
            close(fds[0])
            SignalTrap.install()
            TerminalGuard.arm(restoreSequence: Array("<restored>".utf8))
            switch ending {
            case .quit: raise(SIGQUIT)
            case .secondSIGTERM:
                raise(SIGTERM)
                raise(SIGTERM)
            case .exitWithCursesOn: exit(3)
            }
            _exit(99)  // the guard let the process live on
        }
        close(fds[1])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n <= 0 { break }
            output += buffer[..<n]
        }
        close(fds[0])
        var status: Int32 = 0
        var waited: pid_t = 0
        for _ in 0..<500 {  // 5 s at most
            waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { break }
            usleep(10_000)
        }
        if waited != pid {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            Issue.record("the child did not end")
        }
        let signaled = status & 0x7F != 0 && status & 0x7F != 0x7F
        return (String(decoding: output, as: UTF8.self), signaled ? status & 0x7F : nil, signaled ? nil : (status >> 8) & 0xFF)
    }

    @Test func sigquitRestoresThenEndsBySIGQUIT() throws {
        let r = try run(.quit)
        #expect(r.output.hasPrefix("<restored>"), "\(r.output)")
        #expect(r.signal == SIGQUIT, "\(r)")
    }

    @Test func aSecondSIGTERMRestoresAndEndsBySIGTERM() throws {
        let r = try run(.secondSIGTERM)
        #expect(r.output.hasPrefix("<restored>"), "\(r.output)")
        #expect(r.signal == SIGTERM, "\(r)")
    }

    @Test func exitWithCursesOnRestoresThroughAtexit() throws {
        let r = try run(.exitWithCursesOn)
        #expect(r.output.hasPrefix("<restored>"), "\(r.output)")
        #expect(r.status == 3, "\(r)")
    }

    @Test func crashSignalsHaveNames() {
        for sig in TerminalGuard.fatalSignals {
            #expect(String(describing: TerminalGuard.name(of: sig)).hasPrefix("SIG"))
        }
    }
}
