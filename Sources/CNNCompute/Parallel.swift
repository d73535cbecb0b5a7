import Foundation

/// Splits loops over the machine's cores (up to 8), only when a loop is worth it.
enum Parallel {
    /// Threads to use; `CNN_THREADS=1` forces one.
    static let threads: Int = {
        if let text = ProcessInfo.processInfo.environment["CNN_THREADS"], let n = Int(text), n >= 1 {
            return n
        }
        return max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
    }()

    /// Below this many flops a loop that keeps a partial result per chunk
    /// runs on one thread, undivided. Like ``partialChunks``, it fixes where
    /// its sums split, and so the values: changing it changes the race's figures.
    static let minimumWork = 4_000_000

    /// Below this many flops a loop of disjoint writes runs on one thread
    /// (about 50 µs on one core): a loop costs the awake ``WorkerPool`` a
    /// few microseconds, and how it splits does not change the values.
    static let minimumChunkWork = 1_000_000

    /// Chunks of a loop that keeps a partial result per chunk, on any number
    /// of threads: its sums split at the same places on every machine, so a
    /// seeded run gives the same figures on 1, 2 or 8 cores. The threads
    /// claim chunks as they come free, so a thread the OS pauses (another
    /// process on the core) delays a chunk rather than its whole share.
    static let partialChunks = 8

    /// Chunks per thread of a loop of disjoint writes: finer, so that at
    /// the loop's end the other threads wait for at most an eighth of a
    /// share (a quarter left the caller waiting 4% of a training step).
    static let disjointChunksPerThread = 8

    /// Runs `body` on `count` items split into contiguous chunks spread over the threads.
    ///
    /// - Parameter work: an estimate of the whole loop's flops.
    static func chunks(_ count: Int, work: Int, _ body: (Range<Int>) -> Void) {
        let t = threadCount(count, work: work, perThread: disjointChunksPerThread, minimum: minimumChunkWork)
        if t <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        WorkerPool.shared.run(t) { i in
            let lo = count * i / t, hi = count * (i + 1) / t
            if lo < hi { body(lo..<hi) }
        }
    }

    /// Like ``chunks(_:work:_:)``, also passing the chunk's index
    /// (0 ..< ``partialCount(_:work:)``), for loops that keep a partial result
    /// per chunk and add them up in that order.
    static func indexedChunks(_ count: Int, work: Int, _ body: (Range<Int>, Int) -> Void) {
        let t = partialCount(count, work: work)
        if t <= 1 {
            if count > 0 { body(0..<count, 0) }
            return
        }
        func chunk(_ i: Int) {
            let lo = count * i / t, hi = count * (i + 1) / t
            if lo < hi { body(lo..<hi, i) }
        }
        if threads == 1 {
            for i in 0..<t { chunk(i) }
        } else {
            WorkerPool.shared.run(t, chunk)
        }
    }

    /// How many partial results a loop of `count` items and `work` flops
    /// keeps (1: it runs inline, undivided), whatever the thread count.
    static func partialCount(_ count: Int, work: Int) -> Int {
        work >= minimumWork ? max(1, min(partialChunks, count)) : 1
    }

    /// How many chunks a loop of `count` items and `work` flops splits into (1: it runs inline).
    static func threadCount(_ count: Int, work: Int, perThread: Int,
                            minimum: Int = minimumWork) -> Int {
        work >= minimum && threads > 1 ? max(1, min(threads * perThread, count)) : 1
    }
}

/// A pointer wrapper that crosses into the ``WorkerPool``; each thread writes
/// disjoint elements.
struct SharedPointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    init(_ base: UnsafeMutablePointer<Float>) { self.base = base }
}

/// Carries a closure into the ``WorkerPool``; the closures given to
/// ``Parallel`` touch disjoint memory on each thread.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
