import Foundation

/// One tensor of a safetensors file: float32 values, or integers (I32 / I64).
public enum SafeTensor: Sendable, Equatable {
    case f32(Tensor)
    case i32(shape: [Int], values: [Int32])
    case i64(shape: [Int], values: [Int64])

    public var shape: [Int] {
        switch self {
        case .f32(let t): return t.shape
        case .i32(let s, _), .i64(let s, _): return s
        }
    }

    public var dtype: String {
        switch self {
        case .f32: return "F32"
        case .i32: return "I32"
        case .i64: return "I64"
        }
    }

    /// The values as a float tensor (integers converted).
    public var floatTensor: Tensor {
        switch self {
        case .f32(let t): return t
        case .i32(let s, let v): return Tensor(shape: s, data: v.map(Float.init))
        case .i64(let s, let v): return Tensor(shape: s, data: v.map(Float.init))
        }
    }

    /// The values as integers, or nil for a float tensor.
    public var integers: [Int]? {
        switch self {
        case .f32: return nil
        case .i32(_, let v): return v.map(Int.init)
        case .i64(_, let v): return v.map(Int.init)
        }
    }
}

/// A malformed safetensors file: the message says what and where.
public struct SafeTensorsError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reads and writes the safetensors format: an 8-byte little-endian header
/// length, a JSON header `{"name": {"dtype", "shape", "data_offsets"}}`, then
/// the raw little-endian data.
public enum SafeTensors {
    // MARK: - Reading

    /// Reads a file; every malformed case is a ``SafeTensorsError``.
    public static func read(contentsOf path: String) throws(SafeTensorsError) -> [String: SafeTensor] {
        let data = try readBytes(path)
        guard !data.isEmpty else {
            throw SafeTensorsError("\(path): not a safetensors file: it is empty")
        }
        do {
            return try decode(data)
        } catch {
            throw SafeTensorsError("\(path): \(error.message)")
        }
    }

    /// The whole file, read with `read(2)` so that pipes and devices work too
    /// (Foundation's `Data(contentsOf:)` calls /dev/null a permission problem).
    static func readBytes(_ path: String) throws(SafeTensorsError) -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SafeTensorsError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw SafeTensorsError("cannot read \(path): it is a directory, not a safetensors file")
        }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { readChunk(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw SafeTensorsError("cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { return data }
            data.append(contentsOf: chunk[..<n])
        }
    }

    /// Decodes the bytes of a safetensors file.
    public static func decode(_ data: Data) throws(SafeTensorsError) -> [String: SafeTensor] {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else {
            throw SafeTensorsError("truncated: \(bytes.count) bytes, too short for the 8-byte header length")
        }
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw SafeTensorsError("the header length \(headerLength) runs beyond the file (\(bytes.count) bytes)")
        }
        let headerEnd = 8 + Int(headerLength)
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
        } catch {
            throw SafeTensorsError("the header is not valid JSON")
        }
        guard let header = json as? [String: Any] else {
            throw SafeTensorsError("the header is not a JSON object")
        }
        let body = bytes.count - headerEnd
        var spans: [(name: String, start: Int, end: Int)] = []
        var out: [String: SafeTensor] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any] else {
                throw SafeTensorsError("'\(name)': the entry is not an object")
            }
            guard let dtype = entry["dtype"] as? String else {
                throw SafeTensorsError("'\(name)': missing dtype")
            }
            guard let shapeList = entry["shape"] as? [Any], let shape = intList(shapeList) else {
                throw SafeTensorsError("'\(name)': missing or malformed shape")
            }
            guard let offsetList = entry["data_offsets"] as? [Any], let offsets = intList(offsetList),
                  offsets.count == 2 else {
                throw SafeTensorsError("'\(name)': data_offsets must be two integers")
            }
            if shape.contains(where: { $0 < 0 }) {
                throw SafeTensorsError("'\(name)': negative size in shape \(shape)")
            }
            let size: Int
            switch dtype {
            case "F32", "I32": size = 4
            case "I64": size = 8
            default:
                throw SafeTensorsError("'\(name)': unknown or unsupported dtype '\(dtype)' (expected F32, I32 or I64)")
            }
            let (start, end) = (offsets[0], offsets[1])
            guard start >= 0, end >= start, end <= body else {
                throw SafeTensorsError("'\(name)': data_offsets [\(start), \(end)] are out of range (data is \(body) bytes)")
            }
            var count = 1
            for s in shape {
                let (p, overflow) = count.multipliedReportingOverflow(by: s)
                guard !overflow else { throw SafeTensorsError("'\(name)': the shape \(shape) overflows") }
                count = p
            }
            // Checked in every build: the core is compiled with -Ounchecked.
            let (bytesNeeded, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw SafeTensorsError("'\(name)': shape \(shape) of \(dtype) needs more bytes than a file can hold "
                    + "(\(count) values of \(size) bytes); data_offsets hold \(end - start)")
            }
            guard bytesNeeded == end - start else {
                throw SafeTensorsError("'\(name)': shape \(shape) of \(dtype) needs \(bytesNeeded) bytes "
                    + "but data_offsets hold \(end - start)")
            }
            spans.append((name, start, end))
            let base = headerEnd + start
            switch dtype {
            case "F32":
                var values = [Float](repeating: 0, count: count)
                values.withUnsafeMutableBytes { dst in
                    bytes.withUnsafeBytes { src in
                        dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[base..<(base + bytesNeeded)]))
                    }
                }
                out[name] = .f32(Tensor(shape: shape, data: values))
            case "I32":
                var values = [Int32](repeating: 0, count: count)
                values.withUnsafeMutableBytes { dst in
                    bytes.withUnsafeBytes { src in
                        dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[base..<(base + bytesNeeded)]))
                    }
                }
                out[name] = .i32(shape: shape, values: values)
            default:
                var values = [Int64](repeating: 0, count: count)
                values.withUnsafeMutableBytes { dst in
                    bytes.withUnsafeBytes { src in
                        dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[base..<(base + bytesNeeded)]))
                    }
                }
                out[name] = .i64(shape: shape, values: values)
            }
        }
        spans.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        for i in spans.indices.dropFirst() where spans[i].start < spans[i - 1].end {
            throw SafeTensorsError("'\(spans[i].name)' and '\(spans[i - 1].name)' overlap: bytes [\(spans[i].start), "
                + "\(spans[i].end)) and [\(spans[i - 1].start), \(spans[i - 1].end))")
        }
        return out
    }

    private static func intList(_ list: [Any]) -> [Int]? {
        var out: [Int] = []
        for v in list {
            guard let n = v as? NSNumber else { return nil }
            let d = n.doubleValue
            guard d == d.rounded(), abs(d) < 9e15 else { return nil }
            out.append(n.intValue)
        }
        return out
    }

    // MARK: - Writing

    /// Encodes tensors, sorted by name, with the header padded to 8 bytes.
    public static func encode(_ tensors: [String: SafeTensor]) -> Data {
        var header = "{"
        var offset = 0
        let names = tensors.keys.sorted()
        for (i, name) in names.enumerated() {
            let t = tensors[name]!
            let bytes = byteCount(t)
            header += (i > 0 ? "," : "") + "\"\(escape(name))\":{\"dtype\":\"\(t.dtype)\",\"shape\":["
                + t.shape.map(String.init).joined(separator: ",") + "],\"data_offsets\":[\(offset),\(offset + bytes)]}"
            offset += bytes
        }
        header += "}"
        while (header.utf8.count + 8) % 8 != 0 { header += " " }
        var data = Data()
        var length = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8))
        for name in names {
            switch tensors[name]! {
            case .f32(let t): t.data.withUnsafeBytes { data.append(contentsOf: $0) }
            case .i32(_, let v): v.withUnsafeBytes { data.append(contentsOf: $0) }
            case .i64(_, let v): v.withUnsafeBytes { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    /// Writes float tensors and integer tensors to a file.
    public static func write(_ tensors: [String: SafeTensor], to path: String) throws(SafeTensorsError) {
        do {
            try encode(tensors).write(to: URL(fileURLWithPath: path))
        } catch {
            throw SafeTensorsError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    private static func byteCount(_ t: SafeTensor) -> Int {
        switch t {
        case .f32(let x): return x.count * 4
        case .i32(_, let v): return v.count * 4
        case .i64(_, let v): return v.count * 8
        }
    }

    private static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if ch.value < 0x20 { out += String(format: "\\u%04x", ch.value) } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }
}

/// `read(2)`, out of reach of `SafeTensors.read`'s name.
private func readChunk(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
