/// The gzip container (RFC 1952) around a DEFLATE stream: its header, and the
/// CRC-32 and size that check what came out.
public enum Gzip {
    /// True when the bytes start with gzip's magic number.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The decompressed contents of every member, one after the other (as `gunzip` does).
    ///
    /// - Parameter file: named in the error.
    public static func decompress(_ bytes: [UInt8], file: String, limit: Int = 1 << 31) throws(DataError) -> [UInt8] {
        var out: [UInt8] = []
        var p = 0
        repeat {
            try member(bytes, at: &p, into: &out, file: file, limit: limit - out.count)
            // Trailing zeros (tape padding) end the file, as gzip accepts them.
        } while p < bytes.count && bytes[p...].contains(where: { $0 != 0 })
        return out
    }

    private static func member(_ b: [UInt8], at p: inout Int, into out: inout [UInt8], file: String,
                               limit: Int) throws(DataError) {
        func fail(_ why: String) -> DataError { DataError(file: file, "not a valid gzip file: " + why) }
        guard b.count - p >= 18 else { throw fail("it is cut short (\(b.count - p) bytes, a member needs at least 18)") }
        guard b[p] == 0x1F, b[p + 1] == 0x8B else { throw fail("wrong magic number") }
        guard b[p + 2] == 8 else { throw fail("compression method \(b[p + 2]) is not deflate (8)") }
        let flags = b[p + 3]
        guard flags & 0xE0 == 0 else { throw fail("reserved header flags are set") }
        var q = p + 10
        if flags & 0x04 != 0 {  // FEXTRA
            guard q + 2 <= b.count else { throw fail("the header is cut short") }
            q += 2 + (Int(b[q]) | Int(b[q + 1]) << 8)
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
            while q < b.count, b[q] != 0 { q += 1 }
            q += 1
        }
        if flags & 0x02 != 0 { q += 2 }  // FHCRC
        guard q < b.count else { throw fail("the header is cut short") }
        let inflated: (bytes: [UInt8], end: Int)
        do {
            inflated = try Inflate.decompress(b, from: q, limit: limit)
        } catch {
            throw fail(error.reason)
        }
        let t = inflated.end
        guard t + 8 <= b.count else { throw fail("the trailer (CRC-32 and size) is cut short") }
        let stored = UInt32(b[t]) | UInt32(b[t + 1]) << 8 | UInt32(b[t + 2]) << 16 | UInt32(b[t + 3]) << 24
        let size = UInt32(b[t + 4]) | UInt32(b[t + 5]) << 8 | UInt32(b[t + 6]) << 16 | UInt32(b[t + 7]) << 24
        let crc = CRC32.checksum(inflated.bytes)
        guard crc == stored else {
            throw fail("the CRC-32 check failed (stored \(hex(stored)), computed \(hex(crc))): the file is damaged")
        }
        guard size == UInt32(truncatingIfNeeded: inflated.bytes.count) else {
            throw fail("the stored size (\(size) bytes) disagrees with the data (\(inflated.bytes.count) bytes)")
        }
        out += inflated.bytes
        p = t + 8
    }

    private static func hex(_ x: UInt32) -> String {
        let digits = String(x, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// CRC-32 as gzip and PNG use it (reflected polynomial 0xEDB88320).
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { t in
            for byte in bytes { c = t[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        }
        return c ^ 0xFFFF_FFFF
    }
}
