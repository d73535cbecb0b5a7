import Foundation
import Glibc
import TutorUI

/// The one program loop: it owns the program, blocks on one source of messages, and draws.
///
/// Keys, resizes, signals, ticks and effect results all arrive through the
/// ``MessageSource``; the loop feeds each to the program, hands effects to
/// the ``EffectRunner`` and draws when something changed. The terminal and
/// the virtual clock of recordings and checks are two sources of the same
/// loop, so a recording shows exactly what the terminal would.
public enum ProgramLoop {
    /// How a run ended.
    public enum Outcome: Equatable, Sendable {
        /// The program asked to exit with this status.
        case exited(Int32)
        /// A signal ended the run: the exit status is 128 + the signal.
        case signalled(Int32)
        /// The program waits for something that will never come (virtual runs only).
        case stalled(String)
    }

    /// Called after every frame, with the program, the frame and the source's time in seconds.
    public typealias FrameHook<P: Program> = (P, ScreenBuffer, Double) -> Void

    /// Runs `program` until it exits, a signal arrives, or (virtually) nothing can move it on.
    ///
    /// - Parameters:
    ///   - afterMessages: called after each batch of messages, with the program to update (saving progress, say).
    ///   - onFrame: called after each frame is drawn (recording it, say).
    /// - Returns: the outcome and the program as it ended.
    public static func run<P: Program>(_ initial: P, source: some MessageSource,
                                       afterMessages: (inout P) -> Void = { _ in },
                                       onFrame: FrameHook<P> = { _, _, _ in }) -> (Outcome, P) {
        var program = initial
        let runner = EffectRunner()
        let wake = source.wakeup
        runner.onPost = { wake.signal() }
        func apply(_ effects: [Effect]) {
            for effect in effects { runner.run(effect) }
        }
        let size = source.size
        apply(program.handle(.setCapabilities(source.capabilities)))
        apply(program.handle(.resize(width: size.width, height: size.height)))
        apply(program.start())

        var buffer = ScreenBuffer(width: size.width, height: size.height)
        program.draw(into: &buffer)
        source.draw(buffer)
        onFrame(program, buffer, source.now)
        var lastTick = source.now

        while program.exitCode == nil {
            let deadline = program.wantsTicks ? lastTick + tickInterval : nil
            var messages = runner.takeMessages()
            if messages.isEmpty {
                let work: PendingWork = runner.isBusy ? .running : (program.isWaitingForWork ? .orphaned : .none)
                switch source.next(until: deadline, work: work) {
                case .messages(let m): messages = m
                case .signal(let sig): return (.signalled(sig), program)
                case .keyboardInterrupt(let m):
                    // The keys typed before it first: one of them may have opened a prompt, which Ctrl-C closes.
                    for msg in runner.takeMessages() + m where program.exitCode == nil { apply(program.handle(msg)) }
                    guard program.exitCode == nil else { return (.exited(program.exitCode ?? 0), program) }
                    guard program.interruptIsKey else { return (.signalled(SIGINT), program) }
                    messages = [.key(.ctrl("c"))]
                case .stalled(let why): return (.stalled(why), program)
                }
                messages += runner.takeMessages()
            }
            let now = source.now
            if program.wantsTicks, now >= lastTick + tickInterval {
                messages.append(.tick(seconds: now - lastTick))
                lastTick = now
            } else if !program.wantsTicks {
                lastTick = now
            }
            guard !messages.isEmpty else { continue }
            for msg in messages where program.exitCode == nil {
                apply(program.handle(msg))
            }
            afterMessages(&program)
            guard program.exitCode == nil else { break }
            program.draw(into: &buffer)
            source.draw(buffer)
            source.setInterruptIsKey(program.interruptIsKey)
            onFrame(program, buffer, now)
        }
        return (.exited(program.exitCode ?? 0), program)
    }

    /// Seconds between ticks while the program wants them.
    static let tickInterval = 0.05
}

extension MessageSource {
    public func setInterruptIsKey(_ on: Bool) {}
}

/// Where the loop's messages come from, and where its frames go.
public protocol MessageSource: AnyObject {
    /// Makes Ctrl-C a key while the program has a prompt open (a terminal only).
    func setInterruptIsKey(_ on: Bool)
    var size: (width: Int, height: Int) { get }
    var capabilities: Capabilities { get }
    /// Seconds since the source started (wall time in a terminal, virtual time in a recording).
    var now: Double { get }
    /// Wakes a source blocked in ``next(until:work:)``; the effect runner signals it.
    var wakeup: Wakeup { get }
    /// Blocks until messages arrive, `deadline` passes, the runner wakes it, or a signal ends the run.
    func next(until deadline: Double?, work: PendingWork) -> SourceBatch
    func draw(_ buffer: ScreenBuffer)
}

/// Whether the program waits for work, and whether anyone is doing it.
public enum PendingWork: Sendable {
    case none
    /// An effect is running; its result will wake the source.
    case running
    /// The program waits for a result no effect will bring: a bug, and a hang if nothing else can happen.
    case orphaned
}

/// What one wait of a ``MessageSource`` produced.
public enum SourceBatch: Sendable {
    case messages([Msg])
    /// A Ctrl-C typed at the terminal raised SIGINT after these messages: a key
    /// if they left a prompt open, else the end of the run, as the signal.
    case keyboardInterrupt(after: [Msg])
    case signal(Int32)
    case stalled(String)
}

/// A self-pipe: any thread may ``signal()``; a loop waits on ``fd`` with `poll`.
public final class Wakeup: @unchecked Sendable {
    private var fds: [Int32] = [-1, -1]

    public init() {
        _ = fds.withUnsafeMutableBufferPointer { pipe($0.baseAddress!) }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    deinit { for fd in fds where fd >= 0 { close(fd) } }

    /// The end to poll for reading.
    public var fd: Int32 { fds[0] }
    /// The end a signal handler may write to.
    var writeEnd: Int32 { fds[1] }

    /// Wakes the waiting loop; safe from any thread.
    public func signal() {
        var byte: UInt8 = 1
        _ = write(fds[1], &byte, 1)
    }

    /// Empties the pipe after a wake.
    public func drain() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(fds[0], &bytes, bytes.count) > 0 {}
    }

    /// Waits for a signal (or a file descriptor) for up to `timeoutMs` (-1: no limit); true when woken.
    @discardableResult
    public func wait(timeoutMs: Int32, alsoReading other: Int32? = nil) -> Bool {
        var polls = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
        if let other { polls.append(pollfd(fd: other, events: Int16(POLLIN), revents: 0)) }
        let r = poll(&polls, nfds_t(polls.count), timeoutMs)
        if r > 0, polls[0].revents != 0 { drain() }
        return r > 0
    }
}
