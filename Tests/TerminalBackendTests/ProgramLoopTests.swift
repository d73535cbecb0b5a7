import Testing
import TutorUI
@testable import TerminalBackend

/// The one loop on the virtual clock: it finishes what finishes, and names what would wait forever.
@Suite struct ProgramLoopTests {
    /// A program that counts ticks and exits after some, or waits in the ways a broken lesson would.
    struct Counter: Program {
        enum Mode { case exitAfterTicks(Int), waitForAKey, waitForWorkNobodyDoes }
        var mode: Mode
        var ticks = 0
        var exitCode: Int32?
        mutating func start() -> [Effect] { [] }
        mutating func handle(_ msg: Msg) -> [Effect] {
            if case .tick = msg { ticks += 1 }
            if case .exitAfterTicks(let n) = mode, ticks >= n { exitCode = 3 }
            return []
        }
        func draw(into buffer: inout ScreenBuffer) -> (x: Int, y: Int)? { nil }
        var wantsTicks: Bool { if case .exitAfterTicks = mode { true } else { false } }
        var isWaitingForWork: Bool { if case .waitForWorkNobodyDoes = mode { true } else { false } }
    }

    @Test func aProgramThatTicksToItsEndExitsWithItsStatus() {
        let source = VirtualSource(width: 80, height: 24)
        let (outcome, program) = ProgramLoop.run(Counter(mode: .exitAfterTicks(20)), source: source)
        #expect(outcome == .exited(3))
        #expect(program.ticks == 20)
        #expect(abs(source.now - 20 * ProgramLoop.tickInterval) < 1e-9, "virtual time should advance one tick at a time")
    }

    @Test func waitingForAKeyWithNoOneThereIsAStall() {
        let (outcome, _) = ProgramLoop.run(Counter(mode: .waitForAKey), source: VirtualSource(width: 80, height: 24))
        #expect(outcome == .stalled("waiting for a key"))
    }

    @Test func waitingForWorkNobodyStartedIsAStall() {
        let (outcome, _) = ProgramLoop.run(Counter(mode: .waitForWorkNobodyDoes), source: VirtualSource(width: 80, height: 24))
        guard case .stalled(let why) = outcome else { Issue.record("not a stall: \(outcome)"); return }
        #expect(why.contains("no computation"))
    }

    @Test func playingPastTheVirtualLimitIsAStall() {
        let source = VirtualSource(width: 80, height: 24, maxSeconds: 1)
        let (outcome, program) = ProgramLoop.run(Counter(mode: .exitAfterTicks(1_000_000)), source: source)
        guard case .stalled = outcome else { Issue.record("not a stall: \(outcome)"); return }
        #expect(program.ticks < 40)
    }

    // MARK: - A Ctrl-C typed right after a key

    /// Hands out prepared batches, then a batch that ends the run the way `q` would.
    final class ScriptedSource: MessageSource {
        var batches: [SourceBatch]
        let wakeup = Wakeup()
        let size = (width: 80, height: 24)
        let capabilities = Capabilities.full
        let now = 0.0
        init(_ batches: [SourceBatch]) { self.batches = batches }
        func next(until deadline: Double?, work: PendingWork) -> SourceBatch {
            batches.isEmpty ? .stalled("script over") : batches.removeFirst()
        }
        func draw(_ buffer: ScreenBuffer) {}
    }

    /// `a` and Ctrl-C typed together: the kernel raised SIGINT before the
    /// prompt was drawn, and the Ctrl-C closes the prompt instead of quitting.
    @Test func aCtrlCTypedWithTheKeyThatOpensAPromptClosesIt() {
        let source = ScriptedSource([.keyboardInterrupt(after: [.key(.char("a"))])])
        let (outcome, app) = ProgramLoop.run(AppState(width: 80, height: 24, caps: .full), source: source)
        #expect(outcome == .stalled("script over"), "the app quit: \(outcome)")
        #expect(app.prompt == nil)
    }

    /// With no prompt open, the same Ctrl-C ends the run as SIGINT.
    @Test func aCtrlCWithNoPromptEndsTheRun() {
        let source = ScriptedSource([.keyboardInterrupt(after: [.key(.char("j"))])])
        let (outcome, _) = ProgramLoop.run(AppState(width: 80, height: 24, caps: .full), source: source)
        #expect(outcome == .signalled(2))
    }
}
