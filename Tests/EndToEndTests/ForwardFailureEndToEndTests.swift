import Foundation
import Testing

/// `cnn-tutor forward` on bad numbers and bad files: exit 1 and a message that says what is wrong.
@Suite
struct ForwardFailureEndToEndTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cnn-forward-\(getpid())-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    /// A safetensors file of F32 tensors (and I64 `labels`), as the format defines it.
    func tensors(_ name: String, _ entries: [(String, [Int], [Float])], labels: [Int64]? = nil) throws -> String {
        var header: [String] = []
        var body = Data()
        for (key, shape, values) in entries {
            let start = body.count
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { body.append(contentsOf: $0) } }
            header.append("\"\(key)\":{\"dtype\":\"F32\",\"shape\":\(shape),\"data_offsets\":[\(start),\(body.count)]}")
        }
        if let labels {
            let start = body.count
            for v in labels { withUnsafeBytes(of: v.littleEndian) { body.append(contentsOf: $0) } }
            header.append("\"labels\":{\"dtype\":\"I64\",\"shape\":[\(labels.count)],\"data_offsets\":[\(start),\(body.count)]}")
        }
        let json = Data(("{" + header.joined(separator: ",") + "}").utf8)
        var file = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(json)
        file.append(body)
        let url = dir.appendingPathComponent(name)
        try file.write(to: url)
        return url.path
    }

    func model(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Runs the binary; returns its status and standard error.
    func run(_ args: [String]) throws -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try Tmux.binary)
        p.arguments = args
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    static let dense = "keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(3, activation='softmax')])\n"

    /// `build --weights` refuses a file that doesn't fit the model, naming the weight and both shapes, before any screen.
    @Test func buildWithWeightsThatDontFitIsRefused() throws {
        let m = try model("dense.py", Self.dense)
        let wrong = try tensors("wrong.safetensors", [("dense/kernel", [2, 3], [Float](repeating: 0, count: 6)),
                                                     ("dense/bias", [3], [0, 0, 0])])
        var r = try run(["build", m, "--weights", wrong])
        #expect(r.status == 1 && r.stderr.contains("'dense/kernel' has shape [2, 3] but layer 'dense' needs [3, 3]"), "\(r)")
        let missing = try tensors("missing.safetensors", [("dense/kernel", [3, 3], [Float](repeating: 0, count: 9))])
        r = try run(["build", m, "--weights", missing])
        #expect(r.status == 1 && r.stderr.contains("has no 'dense/bias' (layer 'dense' needs shape [3])"), "\(r)")
        r = try run(["build", "--weights", missing])
        #expect(r.status == 1 && r.stderr.contains("--weights needs a model file"), "\(r)")
    }

    @Test func aModelTooBigForMemoryIsRefusedNotAborted() throws {
        let big = try model("big.py", "keras.Sequential([keras.Input(shape=(16384, 16384, 3)), keras.layers.Conv2D(512, 3)])\n")
        let input = try tensors("in.safetensors", [("input", [1, 2, 2, 3], [Float](repeating: 0, count: 12))])
        let r = try run(["forward", big, "--init", "--input", input, "--out", dir.appendingPathComponent("o").path])
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.hasPrefix("too big to run here: 14,336 params and 511.88 GB of outputs"), "\(r.stderr)")
        #expect(r.stderr.contains("try a smaller input or a pooled head"), "\(r.stderr)")
    }

    @Test func devNullIsNotAPermissionProblem() throws {
        let m = try model("m.py", Self.dense)
        let r = try run(["forward", m, "--init", "--input", "/dev/null", "--out", dir.appendingPathComponent("o").path])
        #expect(r.status == 1)
        #expect(r.stderr == "/dev/null: not a safetensors file: it is empty\n", "\(r.stderr)")
    }

    @Test func nanWeightsExit1NamingTheLayer() throws {
        let m = try model("m.py", Self.dense)
        let w = try tensors("w.safetensors", [("dense/kernel", [3, 3], [1, .nan, 0, 0, 0, 0, 0, 0, 0]), ("dense/bias", [3], [0, 0, 0])])
        let x = try tensors("x.safetensors", [("input", [1, 3], [1, 2, 3])], labels: [0])
        let r = try run(["forward", m, "--weights", w, "--input", x, "--out", dir.appendingPathComponent("o").path, "--gradients"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("non-finite values (NaN) first appear in the output of layer dense (Dense)"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("o").path), "NaN outputs were written")
    }

    @Test func anUnknownWeightIsAnError() throws {
        let m = try model("m.py", Self.dense)
        let w = try tensors("w.safetensors", [("dense/kernel", [3, 3], [Float](repeating: 0, count: 9)), ("dense/bias", [3], [0, 0, 0]),
                                              ("conv2d/kernel", [1], [0])])
        let x = try tensors("x.safetensors", [("input", [1, 3], [1, 2, 3])])
        let r = try run(["forward", m, "--weights", w, "--input", x, "--out", dir.appendingPathComponent("o").path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("'conv2d/kernel', which matches no weight of this model"), "\(r.stderr)")
    }

    /// Logits of 1e38 on all three classes: the softmax is (⅓, ⅓, ⅓), so the loss written is ln 3, not 0.
    @Test func hugeEqualLogitsGiveTheLossLn3() throws {
        let m = try model("m.py", Self.dense)
        let w = try tensors("w.safetensors", [("dense/kernel", [3, 3], [1, 1, 1, 0, 0, 0, 0, 0, 0]), ("dense/bias", [3], [0, 0, 0])])
        let x = try tensors("x.safetensors", [("input", [1, 3], [1e38, 0, 0])], labels: [2])
        let out = dir.appendingPathComponent("o.safetensors")
        let r = try run(["forward", m, "--weights", w, "--input", x, "--out", out.path, "--gradients"])
        #expect(r.status == 0, "\(r.stderr)")
        let data = try Data(contentsOf: out)
        let headerLength = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let header = try #require(try JSONSerialization.jsonObject(with: data.subdata(in: 8 ..< 8 + headerLength)) as? [String: Any])
        let offsets = try #require((header["loss"] as? [String: Any])?["data_offsets"] as? [Int])
        let start = 8 + headerLength + offsets[0]
        let loss = Float(bitPattern: data.subdata(in: start ..< start + 4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
        #expect(abs(loss - Float(log(3.0))) < 1e-5, "loss \(loss)")
    }
}
