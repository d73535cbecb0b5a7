import CNNModel
import Foundation
import Testing
@testable import CNNCompute

/// safetensors round trips, and a clear error (never a crash) for every
/// malformed file.
@Suite struct SafeTensorsTests {
    /// A file from a raw header and data section.
    static func file(_ header: String, data: [UInt8] = []) -> Data {
        var out = Data()
        var n = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
        out.append(contentsOf: Array(header.utf8))
        out.append(contentsOf: data)
        return out
    }

    static func message(_ data: Data) -> String? {
        do {
            _ = try SafeTensors.decode(data)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func roundTripsEveryDtype() throws {
        let tensors: [String: SafeTensor] = [
            "conv2d/kernel": .f32(Tensor(shape: [2, 1, 3], data: [1, -2, 3.5, 0, 1e-8, -7])),
            "labels": .i32(shape: [3], values: [0, 9, -1]),
            "steps": .i64(shape: [2], values: [1 << 40, -5]),
            "empty": .f32(Tensor(shape: [0, 4], data: [])),
        ]
        let data = SafeTensors.encode(tensors)
        let headerLength = data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect((8 + Int(headerLength)) % 8 == 0)
        #expect(try SafeTensors.decode(data) == tensors)
    }

    @Test func truncatedFile() {
        #expect(Self.message(Data([1, 2, 3]))?.contains("truncated") == true)
    }

    @Test func headerLengthBeyondTheFile() {
        var data = Self.file("{}")
        data.replaceSubrange(0..<8, with: [200, 0, 0, 0, 0, 0, 0, 0])
        #expect(Self.message(data)?.contains("beyond the file") == true)
    }

    @Test func headerThatIsNotJSON() {
        #expect(Self.message(Self.file("{not json"))?.contains("not valid JSON") == true)
        #expect(Self.message(Self.file("[1, 2]"))?.contains("not a JSON object") == true)
    }

    @Test func offsetsOutOfRange() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        #expect(Self.message(Self.file(header, data: [0, 0, 0, 0]))?.contains("out of range") == true)
        let backwards = #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#
        #expect(Self.message(Self.file(backwards, data: [0, 0, 0, 0]))?.contains("out of range") == true)
    }

    @Test func overlappingOffsets() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        #expect(Self.message(Self.file(header, data: Array(repeating: 0, count: 12)))?.contains("overlap") == true)
    }

    @Test func unknownDtype() {
        let header = #"{"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}"#
        #expect(Self.message(Self.file(header, data: [0, 0, 0, 0]))?.contains("unknown or unsupported dtype 'BF16'") == true)
    }

    @Test func shapeThatDoesNotMatchTheByteCount() {
        let header = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        #expect(Self.message(Self.file(header, data: Array(repeating: 0, count: 8)))?.contains("needs 12 bytes") == true)
        let negative = #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}"#
        #expect(Self.message(Self.file(negative))?.contains("negative") == true)
        let huge = #"{"a":{"dtype":"I64","shape":[4611686018427387904,4],"data_offsets":[0,0]}}"#
        #expect(Self.message(Self.file(huge)) != nil)
    }

    @Test func malformedEntries() {
        #expect(Self.message(Self.file(#"{"a":3}"#))?.contains("not an object") == true)
        #expect(Self.message(Self.file(#"{"a":{"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))?.contains("missing dtype") == true)
        #expect(Self.message(Self.file(#"{"a":{"dtype":"F32","shape":"x","data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))?.contains("shape") == true)
        #expect(Self.message(Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, data: [0, 0, 0, 0]))?.contains("data_offsets") == true)
    }

    @Test func metadataIsIgnored() throws {
        let header = #"{"__metadata__":{"format":"pt"},"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}"#
        let decoded = try SafeTensors.decode(Self.file(header, data: [7, 0, 0, 0]))
        #expect(decoded == ["a": .i32(shape: [1], values: [7])])
    }

    @Test func missingWeight() throws {
        let net = try Network(model: KerasParser.parse("keras.Sequential([Input(shape=(4,)), Dense(2)])"))
        let only = ["dense/kernel": Tensor(zeros: [4, 2])]
        #expect(throws: NetworkError.self) { try net.load(only) }
        do {
            try net.load(only)
        } catch {
            #expect(error.message.contains("no 'dense/bias'"))
        }
        try net.load(only, allowMissing: true)
    }

    @Test func weightWithTheWrongShape() throws {
        let net = try Network(model: KerasParser.parse("keras.Sequential([Input(shape=(4,)), Dense(2)])"))
        do {
            try net.load(["dense/kernel": Tensor(zeros: [2, 4]), "dense/bias": Tensor(zeros: [2])])
            Issue.record("a transposed kernel was accepted")
        } catch {
            #expect(error.message.contains("'dense/kernel' has shape [2, 4] but layer 'dense' needs [4, 2]"))
        }
    }

    @Test func randomBytesNeverCrash() {
        var g = SeededGenerator(seed: 1)
        let valid = SafeTensors.encode(["a": .f32(Tensor(shape: [3], data: [1, 2, 3])), "b": .i64(shape: [1], values: [4])])
        for _ in 0..<300 {
            var bytes = [UInt8](valid)
            for _ in 0..<3 { bytes[Int(g.next() % UInt64(bytes.count))] = UInt8(g.next() % 256) }
            let cut = Int(g.next() % UInt64(bytes.count + 1))
            _ = Self.message(Data(bytes.prefix(cut)))
        }
    }
}
