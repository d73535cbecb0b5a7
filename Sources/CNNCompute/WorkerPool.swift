import Foundation
import Synchronization

/// Threads that stay awake between parallel loops, so that a loop starts on
/// every core at once.
///
/// `DispatchQueue.concurrentPerform` wakes its threads for each loop. In a
/// virtual machine an idle core halts, and waking it costs more than a small
/// loop: two halves of a 0.2 ms loop took as long as the whole loop on one
/// thread, and a 2 ms loop ran 1.66× faster on two cores instead of 2×. These
/// workers spin for ``spinSeconds`` after each loop, then sleep until the
/// next one. One loop runs here at a time; a loop started while another runs
/// (from another thread, or nested in a chunk) goes to dispatch.
final class WorkerPool: @unchecked Sendable {
    /// The pool with ``Parallel/threads`` − 1 workers (the caller is the other thread).
    static let shared = WorkerPool(workers: Parallel.threads - 1)

    /// How long a worker waits for the next loop before it sleeps: longer
    /// than the gaps between a training step's loops, short enough that an
    /// idle app costs no CPU.
    static let spinSeconds = 0.002

    /// The loop under way, in one word that chunks are claimed from:
    /// generation << 16 | next chunk from the front << 8 | end of the chunks
    /// left at the back. A claim that succeeds is therefore for this
    /// generation's loop, and a worker that wakes late cannot claim a chunk
    /// of a loop that has finished.
    ///
    /// The caller claims from the front and the workers from the back, so
    /// that with chunks in data order each core keeps working on the same
    /// part of the batch from one layer to the next, in its own cache. When
    /// chunks went to whoever came first, the maps moved between the cores:
    /// the seed model's first convolution trained slower on two threads than
    /// on one (12 ms per 20 steps against 8; 3–5 ms now).
    private let ticket = Atomic<Int>(0)
    /// Chunks of the current loop that have finished.
    private let finished = Atomic<Int>(0)
    /// True while a loop runs here.
    private let busy = Atomic<Bool>(false)
    /// The current loop's body; written before its ticket is published, and
    /// read only by whoever claimed a chunk of it.
    private var body: ((Int) -> Void)?
    private let sleepers: [Sleeper]

    /// One worker's way to sleep: it raises `asleep` before it waits on
    /// `wake`, and whoever publishes a loop and finds the flag raised signals it.
    private final class Sleeper: Sendable {
        let asleep = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
    }

    /// A pool of its own `workers`; the app uses ``shared``.
    init(workers: Int) {
        sleepers = (0..<max(0, workers)).map { _ in Sleeper() }
        for sleeper in sleepers {
            // Named from inside: Linux names only the calling thread.
            Thread { [unowned self] in
                Thread.current.name = "cnn-compute"
                self.work(sleeper)
            }.start()
        }
    }

    /// Runs `body(0..<count)` spread over the workers and the calling thread;
    /// returns when every chunk has run.
    func run(_ count: Int, _ body: (Int) -> Void) {
        precondition(count < 256)
        withoutActuallyEscaping(body) { body in
            guard !sleepers.isEmpty,
                  busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
                let box = UncheckedBox(body)
                DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
                return
            }
            self.body = body
            finished.store(0, ordering: .relaxed)
            let generation = (ticket.load(ordering: .relaxed) >> 16) &+ 1
            ticket.store(generation << 16 | count, ordering: .releasing)
            for sleeper in sleepers where sleeper.asleep.exchange(false, ordering: .sequentiallyConsistent) {
                sleeper.wake.signal()
            }
            claimChunks(of: generation, fromFront: true)
            var spins = 0
            while finished.load(ordering: .acquiring) < count { Self.pause(&spins) }
            self.body = nil
            busy.store(false, ordering: .releasing)
        }
    }

    /// Runs chunks of loop `generation` until none is left to claim, taking
    /// them from the front or from the back.
    private func claimChunks(of generation: Int, fromFront: Bool) {
        while true {
            let t = ticket.load(ordering: .acquiring)
            let front = (t >> 8) & 0xFF, back = t & 0xFF
            guard t >> 16 == generation, front < back else { return }
            let claimed = fromFront ? t &+ (1 << 8) : t &- 1
            if ticket.compareExchange(expected: t, desired: claimed, ordering: .acquiringAndReleasing).exchanged {
                body!(fromFront ? front : back &- 1)
                finished.add(1, ordering: .releasing)
            }
        }
    }

    /// One turn of a spin: every 64th gives the core away, so that on a
    /// machine with more threads than cores the thread being waited for
    /// gets to run: two races run side by side on two cores took 25.4 s
    /// spinning without it, 19.2 s with it and 18.6 s with dispatch.
    @inline(__always)
    private static func pause(_ spins: inout Int) {
        spins &+= 1
        if spins & 63 == 0 { sched_yield() }
    }

    /// A worker's life: wait for a loop, spinning and then asleep; help with it; again.
    private func work(_ sleeper: Sleeper) {
        var seen = 0
        while true {
            var start = DispatchTime.now().uptimeNanoseconds
            var spins = 0
            while ticket.load(ordering: .acquiring) >> 16 == seen {
                Self.pause(&spins)
                guard spins & 1023 == 0 else { continue }
                if Double(DispatchTime.now().uptimeNanoseconds &- start) < Self.spinSeconds * 1e9 { continue }
                sleeper.asleep.store(true, ordering: .sequentiallyConsistent)
                if ticket.load(ordering: .sequentiallyConsistent) >> 16 == seen {
                    sleeper.wake.wait()
                } else if !sleeper.asleep.exchange(false, ordering: .sequentiallyConsistent) {
                    // The publisher took the flag and signals: take that signal.
                    sleeper.wake.wait()
                }
                start = DispatchTime.now().uptimeNanoseconds
            }
            seen = ticket.load(ordering: .acquiring) >> 16
            claimChunks(of: seen, fromFront: false)
        }
    }
}
