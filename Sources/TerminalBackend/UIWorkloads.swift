@preconcurrency import CNcurses
import CNNCompute
import CNNModel
import Foundation
import Glibc
import TutorUI

/// The app's figures for `cnn-tutor bench`: one keystroke's update and view,
/// the time from process start to the first frame, and the peak memory of the
/// app idle and of the default experiment.
public enum UIWorkloads {
    /// `ui_frame_us`, and `startup_ms` when the executable is known.
    public static func all(executable: String?) -> [BenchWorkload] {
        [frame] + (executable.map { [startup($0)] } ?? [])
    }

    /// `idle_rss_mb` and `experiment_rss_mb` when the executable is known; run
    /// them before anything else grows this process (see ``peakMegabytes``).
    public static func memory(executable: String?) -> [BenchWorkload] {
        executable.map { [idleMemory($0), experimentMemory($0)] } ?? []
    }

    /// A child's peak resident memory in MB. Linux carries the spawning
    /// process's peak into a child spawned with vfork, so a figure no larger
    /// than this process's own peak would measure this process: that is refused.
    static func peakMegabytes(_ executable: String, _ arguments: [String], firstFrameOnly: Bool,
                              timeout: Double = 10) throws -> Double {
        let child = try runInTerminal(executable, arguments, firstFrameOnly: firstFrameOnly, timeout: timeout).peakBytes
        if let own = TrainingMemory.processPeakBytes(), child <= own {
            throw Failure(description: "the child's peak memory can't be told from bench's own "
                          + "(\(own / 1_048_576) MB); run the memory figures first")
        }
        return Double(child) / 1_048_576
    }

    /// `ui_frame_us`: `update` + `view` of one keystroke (`+` or `-`, which
    /// re-derives every row) on a 30-layer model into a 120×40 buffer.
    public static var frame: BenchWorkload {
        BenchWorkload(name: "ui_frame_us", unit: "µs", repeats: 7) {
            let model = try KerasParser.parse(BenchmarkModels.thirtyLayers)
            var state = AppState(model: model, width: 120, height: 40)
            _ = update(&state, .select(20))
            _ = update(&state, .setDetail(true))
            var buffer = ScreenBuffer(width: 120, height: 40)
            return {
                let n = 200
                let start = DispatchTime.now().uptimeNanoseconds
                for i in 0..<n {
                    // Nothing kept from the last frame: every row is derived afresh.
                    KerasParser.forgetLines()
                    _ = update(&state, .key(.char(i % 2 == 0 ? "+" : "-")))
                    view(state, into: &buffer)
                }
                return Double(DispatchTime.now().uptimeNanoseconds - start) / 1000 / Double(n)
            }
        }
    }

    /// `startup_ms`: runs `cnn-tutor build` in a 120×40 pseudo-terminal with
    /// `CNN_TUTOR_EXIT_AFTER_FIRST_FRAME=1` and times it from spawn to exit.
    public static func startup(_ executable: String) -> BenchWorkload {
        BenchWorkload(name: "startup_ms", unit: "ms", repeats: 7) {
            return { try runInTerminal(executable, ["build"], firstFrameOnly: true).seconds * 1000 }
        }
    }

    /// `idle_rss_mb`: the peak resident memory (the child's `ru_maxrss`) of
    /// `cnn-tutor build` in a 120×40 terminal up to its first frame.
    public static func idleMemory(_ executable: String) -> BenchWorkload {
        BenchWorkload(name: "idle_rss_mb", unit: "MB", repeats: 3, warmUp: false) {
            return { try peakMegabytes(executable, ["build"], firstFrameOnly: true) }
        }
    }

    /// `experiment_rss_mb`: the peak resident memory of `cnn-tutor experiment
    /// --json` with its default settings but one epoch, run once. The peak
    /// comes in the first epoch (every epoch holds the same buffers), so the
    /// full run reaches the same figure in several times the time.
    public static func experimentMemory(_ executable: String) -> BenchWorkload {
        BenchWorkload(name: "experiment_rss_mb", unit: "MB", repeats: 1, warmUp: false) {
            return {
                try peakMegabytes(executable, ["experiment", "--epochs", "1", "--json"], firstFrameOnly: false, timeout: 600)
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// This executable's absolute path, from /proc.
    public static var currentExecutable: String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }

    /// Runs `executable arguments` in a 120×40 pseudo-terminal until it exits,
    /// with `CNN_TUTOR_EXIT_AFTER_FIRST_FRAME=1` when `firstFrameOnly`, and
    /// returns the time from spawn to exit and the child's peak resident memory.
    static func runInTerminal(_ executable: String, _ arguments: [String], firstFrameOnly: Bool,
                              timeout: Double = 10) throws -> (seconds: Double, peakBytes: Int) {
        let master = posix_openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, grantpt(master) == 0, unlockpt(master) == 0, let name = ptsname(master) else {
            throw Failure(description: "can't open a pseudo-terminal")
        }
        defer { close(master) }
        let slavePath = String(cString: name)
        let slave = open(slavePath, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw Failure(description: "can't open \(slavePath)") }
        _ = cnc_set_winsize(slave, 40, 120)
        close(slave)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in Int32(0)...2 { posix_spawn_file_actions_addopen(&actions, fd, slavePath, O_RDWR, 0) }
        let args = [executable] + arguments
        let env = ["TERM=xterm-256color", "LANG=C.UTF-8", "HOME=/tmp", "PATH=/usr/bin:/bin"]
            + (firstFrameOnly ? ["CNN_TUTOR_EXIT_AFTER_FIRST_FRAME=1"] : [])
        let argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        let start = DispatchTime.now().uptimeNanoseconds
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, nil, argv, envp) == 0 else {
            throw Failure(description: "can't run \(executable)")
        }
        // Drain the terminal's output so the app never blocks writing its frame.
        var chunk = [UInt8](repeating: 0, count: 65536)
        var status: Int32 = 0
        var usage = rusage()
        let command = arguments.joined(separator: " ")
        while true {
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 5) > 0 { _ = read(master, &chunk, chunk.count) }
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid { break }
            if Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 > timeout {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw Failure(description: "\(executable) \(command) did not finish within \(Int(timeout)) s")
            }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard (status & 0x7F) == 0, (status >> 8) & 0xFF == 0 else {
            throw Failure(description: "\(executable) \(command) exited with status \(status)")
        }
        // Linux gives ru_maxrss in kilobytes.
        return (elapsed, Int(usage.ru_maxrss) * 1024)
    }
}
