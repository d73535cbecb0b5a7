import CNNModel
import Foundation
import Testing
@testable import CNNCompute

/// Forward outputs, loss and gradients against what Keras computed
/// (`Tests/Reference/fixtures`), read straight from the safetensors files.
@Suite struct FixtureTests {
    static let root: String = {
        if let env = ProcessInfo.processInfo.environment["CNN_FIXTURES"] { return env }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Reference/fixtures").path
    }()

    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
    }

    @Test func fixturesArePresent() {
        #expect(FixtureTests.names.count >= 8, "no Keras fixtures under \(FixtureTests.root); set CNN_FIXTURES")
    }

    /// Every fixture at every kernel width (``KernelWidth``): the build's
    /// `-target-cpu native` runs each width here, a wider one as several
    /// narrower instructions.
    @Test(arguments: FixtureTests.names, KernelWidth.allCases)
    func matchesKeras(_ name: String, _ width: KernelWidth) throws {
        try KernelWidth.$forced.withValue(width) { try check(name) }
    }

    func check(_ name: String) throws {
        let dir = FixtureTests.root + "/" + name
        let source = try String(contentsOfFile: dir + "/model.py", encoding: .utf8)
        let model = try KerasParser.parse(source)
        let weights = try SafeTensors.read(contentsOf: dir + "/weights.safetensors").mapValues(\.floatTensor)
        let inputs = try SafeTensors.read(contentsOf: dir + "/input.safetensors")
        let expected = try SafeTensors.read(contentsOf: dir + "/expected.safetensors").mapValues(\.floatTensor)
        let x = try #require(inputs["input"]).floatTensor
        let network = try Network(model: model)
        try network.load(weights)
        var got: [String: Tensor] = [:]
        let outputs = try network.forward(x)
        for (layer, out) in zip(network.layerNames, outputs) { got[layer] = out }
        // predict() fuses some layers; it must give exactly the same result.
        #expect(try network.predict(x) == outputs.last)
        if expected["loss"] != nil {
            let labels = try #require(inputs["labels"]?.integers)
            let r = try network.gradients(x, labels: labels)
            got["loss"] = Tensor(shape: [1], data: [r.step.loss])
            for (k, g) in r.gradients { got["grad/" + k] = g }
            // Exactly Keras' trainable weights get a gradient: none for a frozen layer.
            #expect(Set(r.gradients.keys.map { "grad/" + $0 }) == Set(expected.keys.filter { $0.hasPrefix("grad/") }), "\(name)")
        }
        for (key, want) in expected {
            let have = try #require(got[key], "missing \(key)")
            #expect(have.shape == want.shape, "\(name) \(key)")
            guard have.shape == want.shape else { continue }
            var worst: Float = 0
            for i in 0..<want.count { worst = max(worst, abs(have.data[i] - want.data[i]) / (1 + abs(want.data[i]))) }
            #expect(worst <= 1e-4, "\(name) \(key): error \(worst)")
        }
    }
}
