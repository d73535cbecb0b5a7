/// A DEFLATE decoder (RFC 1951) in Swift alone: stored, fixed-Huffman and
/// dynamic-Huffman blocks, as zlib's `inflate` reads them.
///
/// Codes are decoded canonically, one bit at a time against per-length
/// counts (the method of Mark Adler's `puff.c`): short, and fast enough for
/// the tens of megabytes a dataset holds.
public enum Inflate {
    /// Why a DEFLATE stream can't be decoded.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The decompressed bytes of a raw DEFLATE stream starting at `start`,
    /// and the offset of the first byte after its last block.
    ///
    /// - Parameter limit: refuse output beyond this many bytes (a guard against "zip bombs").
    public static func decompress(_ input: [UInt8], from start: Int = 0,
                                  limit: Int = 1 << 31) throws(Failure) -> (bytes: [UInt8], end: Int) {
        var state = BitReader(input, at: start)
        var out: [UInt8] = []
        out.reserveCapacity(min(limit, max(input.count * 4, 1024)))
        var last = false
        while !last {
            last = try state.bits(1) == 1
            switch try state.bits(2) {
            case 0: try stored(&state, &out)
            case 1: try codes(&state, &out, literals: fixed.literals, distances: fixed.distances, limit: limit)
            case 2:
                let (lit, dist) = try dynamicTables(&state)
                try codes(&state, &out, literals: lit, distances: dist, limit: limit)
            default: throw Failure(reason: "a block has the reserved type 3")
            }
            if out.count > limit { throw Failure(reason: "the data inflates past \(limit) bytes") }
        }
        return (out, state.position)
    }

    // MARK: - Bits

    struct BitReader {
        let data: [UInt8]
        var position: Int
        var buffer: UInt32 = 0
        var count: Int = 0

        init(_ data: [UInt8], at position: Int) {
            self.data = data
            self.position = position
        }

        /// The next `n` bits (n ≤ 24), least significant first.
        mutating func bits(_ n: Int) throws(Failure) -> Int {
            while count < n {
                guard position < data.count else { throw Failure(reason: "the compressed data ends early") }
                buffer |= UInt32(data[position]) << UInt32(count)
                position += 1
                count += 8
            }
            let value = Int(buffer & ((1 << UInt32(n)) - 1))
            buffer >>= UInt32(n)
            count -= n
            return value
        }

        /// Drops the bits left in the current byte.
        mutating func align() {
            buffer = 0
            count = 0
        }
    }

    // MARK: - Huffman tables

    /// A canonical code: how many symbols have each length, and the symbols in code order.
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int]

        /// Builds the code for these lengths; refuses an over-subscribed set.
        /// An incomplete code is allowed only when it has a single symbol, as zlib
        /// allows, or when `incomplete` says so (the fixed distance code).
        init(lengths: [Int], incomplete: Bool = false) throws(Failure) {
            symbols = [Int](repeating: 0, count: lengths.count)
            for l in lengths { counts[l] += 1 }
            var left = 1
            for len in 1..<16 {
                left <<= 1
                left -= counts[len]
                if left < 0 { throw Failure(reason: "a Huffman code is over-subscribed") }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for len in 1..<15 { offsets[len + 1] = offsets[len] + counts[len] }
            for (symbol, l) in lengths.enumerated() where l != 0 {
                symbols[offsets[l]] = symbol
                offsets[l] += 1
            }
            let used = lengths.count - counts[0]
            if left > 0, used > 1, !incomplete { throw Failure(reason: "a Huffman code is incomplete") }
        }

        /// Reads one symbol.
        func decode(_ s: inout BitReader) throws(Failure) -> Int {
            var code = 0, first = 0, index = 0
            for len in 1..<16 {
                code |= try s.bits(1)
                let n = counts[len]
                if code - n < first { return symbols[index + (code - first)] }
                index += n
                first += n
                first <<= 1
                code <<= 1
            }
            throw Failure(reason: "a code matches no symbol")
        }
    }

    static let fixed: (literals: Huffman, distances: Huffman) = {
        var lengths = [Int](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        // Force-unwrapped: these are RFC 1951's own, complete codes.
        let lit = try! Huffman(lengths: lengths)
        let dist = try! Huffman(lengths: [Int](repeating: 5, count: 30), incomplete: true)
        return (lit, dist)
    }()

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                             35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                              3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                               257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
                               8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                                7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    // MARK: - Blocks

    /// A stored block: LEN, its one's complement, then LEN raw bytes.
    static func stored(_ s: inout BitReader, _ out: inout [UInt8]) throws(Failure) {
        s.align()
        guard s.position + 4 <= s.data.count else { throw Failure(reason: "a stored block's header is cut short") }
        let d = s.data, p = s.position
        let len = Int(d[p]) | Int(d[p + 1]) << 8
        let check = Int(d[p + 2]) | Int(d[p + 3]) << 8
        guard len == (~check & 0xFFFF) else { throw Failure(reason: "a stored block's length and its complement disagree") }
        guard p + 4 + len <= d.count else { throw Failure(reason: "a stored block is cut short") }
        out.append(contentsOf: d[(p + 4)..<(p + 4 + len)])
        s.position = p + 4 + len
    }

    /// Literals and back-references until the end-of-block symbol.
    static func codes(_ s: inout BitReader, _ out: inout [UInt8], literals: Huffman, distances: Huffman,
                      limit: Int) throws(Failure) {
        while true {
            let symbol = try literals.decode(&s)
            if symbol < 256 {
                out.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let k = symbol - 257
                guard k < 29 else { throw Failure(reason: "a length code is out of range (\(symbol))") }
                let length = lengthBase[k] + (try s.bits(lengthExtra[k]))
                let dk = try distances.decode(&s)
                guard dk < 30 else { throw Failure(reason: "a distance code is out of range (\(dk))") }
                let distance = distanceBase[dk] + (try s.bits(distanceExtra[dk]))
                guard distance <= out.count else {
                    throw Failure(reason: "a back-reference reaches \(distance) bytes back, before the start")
                }
                if out.count + length > limit { throw Failure(reason: "the data inflates past \(limit) bytes") }
                let from = out.count - distance
                // Byte by byte: a copy may overlap what it writes (distance < length).
                for i in 0..<length { out.append(out[from + i]) }
            }
        }
    }

    /// The order in which a dynamic block lists its code-length code's lengths.
    static let lengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Reads a dynamic block's literal/length and distance codes.
    static func dynamicTables(_ s: inout BitReader) throws(Failure) -> (Huffman, Huffman) {
        let nlen = try s.bits(5) + 257, ndist = try s.bits(5) + 1, ncode = try s.bits(4) + 4
        guard nlen <= 286, ndist <= 30 else { throw Failure(reason: "a dynamic block declares too many codes") }
        var codeLengths = [Int](repeating: 0, count: 19)
        for i in 0..<ncode { codeLengths[lengthOrder[i]] = try s.bits(3) }
        let lencode = try Huffman(lengths: codeLengths)
        var lengths: [Int] = []
        lengths.reserveCapacity(nlen + ndist)
        while lengths.count < nlen + ndist {
            let symbol = try lencode.decode(&s)
            if symbol < 16 {
                lengths.append(symbol)
                continue
            }
            var value = 0, repeats: Int
            switch symbol {
            case 16:
                guard let previous = lengths.last else { throw Failure(reason: "a repeat has no length before it") }
                value = previous
                repeats = 3 + (try s.bits(2))
            case 17: repeats = 3 + (try s.bits(3))
            default: repeats = 11 + (try s.bits(7))
            }
            guard lengths.count + repeats <= nlen + ndist else { throw Failure(reason: "code lengths repeat past the end") }
            lengths += [Int](repeating: value, count: repeats)
        }
        guard lengths[256] != 0 else { throw Failure(reason: "the block has no end-of-block code") }
        return (try Huffman(lengths: Array(lengths[0..<nlen])), try Huffman(lengths: Array(lengths[nlen...])))
    }
}
