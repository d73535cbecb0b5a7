@testable import CNNCompute
import Foundation
import Glibc
import Testing

/// The worker pool runs every chunk once, wakes its workers after they
/// sleep, and hands loops it cannot take (nested, concurrent) to dispatch.
@Suite struct WorkerPoolTests {
    /// Per-chunk counters that each chunk bumps in its own slot.
    final class Slots: @unchecked Sendable {
        let counts: UnsafeMutablePointer<Int>
        let threads: UnsafeMutablePointer<pthread_t>
        init(_ n: Int) {
            counts = .allocate(capacity: n)
            counts.initialize(repeating: 0, count: n)
            threads = .allocate(capacity: n)
            threads.initialize(repeating: 0, count: n)
        }
    }

    static let pool = WorkerPool(workers: 3)

    @Test func everyChunkRunsExactlyOnce() {
        for count in 1...64 {
            for _ in 0..<20 {
                let slots = Slots(count)
                Self.pool.run(count) { slots.counts[$0] += 1 }
                #expect((0..<count).allSatisfy { slots.counts[$0] == 1 }, "a chunk of \(count) ran twice or never")
            }
        }
    }

    @Test func workersThatFellAsleepWakeForTheNextLoop() {
        for round in 0..<12 {
            // Around and past the spin time, so that some loops find the workers asleep.
            usleep(UInt32(500 * round))
            let slots = Slots(8)
            Self.pool.run(8) { slots.counts[$0] += 1 }
            #expect((0..<8).allSatisfy { slots.counts[$0] == 1 })
        }
    }

    @Test func theWorkersTakeChunks() {
        let slots = Slots(8 * 20)
        for loop in 0..<20 {
            Self.pool.run(8) { i in
                slots.threads[loop * 8 + i] = pthread_self()
                usleep(2_000)
            }
        }
        #expect(Set((0..<(8 * 20)).map { slots.threads[$0] }).count > 1)
    }

    /// The caller takes chunks from the front and the workers from the back,
    /// so each keeps to its own part of the data from one loop to the next.
    @Test func theCallerRunsAPrefixAndTheWorkerTheRest() {
        let pool = WorkerPool(workers: 1)
        var split = false
        for _ in 0..<20 {
            let slots = Slots(16)
            let caller = pthread_self()
            pool.run(16) { i in
                slots.threads[i] = pthread_self()
                usleep(500)
            }
            let mine = (0..<16).map { pthread_equal(slots.threads[$0], caller) != 0 }
            let prefix = mine.prefix { $0 }.count
            #expect(mine.dropFirst(prefix).allSatisfy { !$0 }, "the caller ran chunks \(mine)")
            split = split || prefix < 16
        }
        #expect(split, "the worker never ran a chunk")
    }

    @Test func aLoopInsideALoopRuns() {
        let slots = Slots(8 * 8)
        Self.pool.run(8) { i in
            Self.pool.run(8) { j in slots.counts[i * 8 + j] += 1 }
        }
        #expect((0..<64).allSatisfy { slots.counts[$0] == 1 })
    }

    @Test func loopsFromSeveralThreadsAtOnceRun() {
        let slots = Slots(4 * 50 * 16)
        DispatchQueue.concurrentPerform(iterations: 4) { caller in
            for loop in 0..<50 {
                Self.pool.run(16) { slots.counts[(caller * 50 + loop) * 16 + $0] += 1 }
            }
        }
        #expect((0..<(4 * 50 * 16)).allSatisfy { slots.counts[$0] == 1 })
    }
}
