import CNNModel
import Foundation
import Testing
@testable import CNNCompute

/// Files and models from outside: checked arithmetic in every build, a
/// clear reason for an empty or unknown file, and no allocation beyond memory.
@Suite struct UntrustedInputTests {
    @Test func aShapeWhoseByteCountOverflowsSaysSo() {
        // 2³¹ · 2³¹ values fit in an Int; times 4 bytes they don't.
        let header = #"{"w":{"dtype":"F32","shape":[2147483648,2147483648],"data_offsets":[0,0]}}"#
        let message = SafeTensorsTests.message(SafeTensorsTests.file(header))
        #expect(message?.contains("needs more bytes than a file can hold") == true, "\(message ?? "no error")")
        #expect(message?.contains("needs 0 bytes") == false)
    }

    @Test func aShapeWhoseValueCountOverflowsSaysSo() {
        let header = #"{"w":{"dtype":"I64","shape":[4294967296,4294967296,4],"data_offsets":[0,0]}}"#
        let message = SafeTensorsTests.message(SafeTensorsTests.file(header))
        #expect(message?.contains("overflows") == true, "\(message ?? "no error")")
    }

    @Test func devNullIsAnEmptyFileNotAPermissionProblem() {
        #expect(throws: SafeTensorsError("/dev/null: not a safetensors file: it is empty")) {
            try SafeTensors.read(contentsOf: "/dev/null")
        }
    }

    @Test func aDirectoryOrAMissingFileIsNamed() {
        #expect(throws: SafeTensorsError("cannot read /tmp: it is a directory, not a safetensors file")) {
            try SafeTensors.read(contentsOf: "/tmp")
        }
        do {
            _ = try SafeTensors.read(contentsOf: "/no/such/file.safetensors")
            Issue.record("a missing file was read")
        } catch {
            #expect(error.message == "cannot read /no/such/file.safetensors: No such file or directory")
        }
    }

    @Test func anUnknownWeightIsAnErrorNamingIt() throws {
        let net = try Network(model: KerasParser.parse("keras.Sequential([Input(shape=(4,)), Dense(2)])"))
        var weights = net.weights
        weights["dense_7/kernel"] = Tensor(zeros: [4, 2])
        do {
            try net.load(weights)
            Issue.record("an unknown weight was accepted")
        } catch {
            #expect(error.message.contains("'dense_7/kernel', which matches no weight of this model"), "\(error.message)")
            #expect(error.message.contains("'dense/bias', 'dense/kernel'"), "\(error.message)")
        }
        #expect(throws: NetworkError.self) { try net.load(weights, allowMissing: true) }
    }

    @Test func aForwardPassBeyondMemoryIsRefusedBeforeAllocating() throws {
        // The issue's model: 4094² × 512 floats of output, 34,326,192,160 bytes (KerasFormat counts 1 GB as 2³⁰).
        let model = try KerasParser.parse("keras.Sequential([Input(shape=(4096, 4096, 3)), Conv2D(512, 3)])")
        let summary = try model.summary()
        let limit = 8 << 30
        let why = try #require(RunBudget.inferenceRefusal(summary, batchSize: 1, limit: limit))
        #expect(why.hasPrefix("too big to run here: 14,336 params and 31.97 GB of outputs"), "\(why)")
        #expect(why.contains("more than the 8.00 GB of memory here"), "\(why)")
        #expect(RunBudget.trainingRefusal(summary, batchSize: 1, limit: limit) != nil)
        #expect(RunBudget.featureMapRefusal(summary) == "too big to run here: 14,336 params and 31.97 GB of outputs")
        let small = try KerasParser.parse("keras.Sequential([Input(shape=(32, 32, 3)), Conv2D(8, 3)])").summary()
        #expect(RunBudget.inferenceRefusal(small, batchSize: 64, limit: limit) == nil)
        #expect(RunBudget.featureMapRefusal(small) == nil)
    }

    @Test func theEstimateSaturatesInsteadOfWrapping() throws {
        let model = try KerasParser.parse("keras.Sequential([Input(shape=(65536, 65536, 3)), Conv2D(512, 3)])")
        let bytes = RunBudget.inferenceBytes(try model.summary(), batchSize: Int.max / 2)
        #expect(bytes == Int.max)
        #expect(RunBudget.availableBytes > 0)
    }
}
