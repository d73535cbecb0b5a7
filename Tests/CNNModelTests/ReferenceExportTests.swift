import CNNModel
import Foundation
import Testing

/// Every reference model the engine accepts, exported to Keras and to PyTorch:
/// the Keras code rebuilds the same model, and the PyTorch code has the modules
/// and the parameter count the Keras layers call for (read without Python).
@Suite struct ReferenceExportTests {
    static func acceptedModels() throws -> [(String, Model, ModelSummary)] {
        try KerasReferenceTests.cases().compactMap { c in
            guard c.expected.error == nil, let m = try? KerasParser.parse(c.source), let s = try? m.summary() else { return nil }
            return (c.id, m, s)
        }
    }

    @Test func kerasExportRebuildsTheModel() throws {
        let models = try Self.acceptedModels()
        #expect(models.count >= 60)
        for (id, model, summary) in models {
            let again = try KerasParser.parse(model.kerasCode).summary()
            #expect(again.layers.map(\.typeName) == summary.layers.map(\.typeName), "\(id)")
            #expect(again.layers.map(\.outputShape) == summary.layers.map(\.outputShape), "\(id)")
            #expect(again.layers.map(\.params) == summary.layers.map(\.params), "\(id)")
            #expect(again.trainableParams == summary.trainableParams, "\(id)")
            #expect(again.batchSize == summary.batchSize, "\(id)")
        }
    }

    @Test func pyTorchExportHasTheModulesAndParameters() throws {
        for (id, _, summary) in try Self.acceptedModels() {
            let modules = Self.modules(summary.pyTorchCode)
            let weighted = modules.filter { Self.parameters($0) > 0 }.map { String($0.prefix { $0 != "(" }) }
            #expect(weighted == Self.expectedModules(summary), "\(id)")
            #expect(modules.map(Self.parameters).reduce(0, +) == Self.pyTorchParameters(summary), "\(id)")
        }
    }

    @Test func parameterReaderCountsWhatPyTorchWould() {
        #expect(Self.parameters("nn.Conv2d(3, 32, kernel_size=3)") == 896)
        #expect(Self.parameters("nn.Conv2d(8, 16, kernel_size=(3, 1), groups=8, bias=False)") == 48)
        #expect(Self.parameters("nn.ConvTranspose3d(2, 4, kernel_size=(1, 2, 3))") == 52)
        #expect(Self.parameters("KerasBatchNorm(6, dim=1, eps=0.001, momentum=0.0100, center=False)") == 6)
        #expect(Self.parameters("KerasLayerNorm((3, 4, 1), dims=(1, 2), eps=0.001, scale=False)") == 12)
        #expect(Self.parameters("nn.ReLU()") == 0)
    }

    // MARK: - Reading the generated code

    /// The lines inside `model = nn.Sequential(…)`, or a functional model's
    /// `self.layer = nn.Sequential(…)` blocks, trailing commas and comments removed.
    static func modules(_ code: String) -> [String] {
        var out: [String] = [], inside = false
        for line in code.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("model = nn.Sequential(") || (trimmed.hasPrefix("self.") && trimmed.hasSuffix(" = nn.Sequential(")) {
                inside = true
                continue
            }
            if inside, trimmed == ")" { inside = false; continue }
            guard inside else { continue }
            var text = trimmed
            if let hash = text.range(of: ",  # ") { text = String(text[..<hash.lowerBound]) }
            if text.hasSuffix(",") { text.removeLast() }
            out.append(text)
        }
        return out
    }

    /// Top-level arguments of a call: positional values, then `key=value`.
    static func arguments(_ call: String) -> (positional: [String], keywords: [String: String]) {
        guard let open = call.firstIndex(of: "("), call.hasSuffix(")") else { return ([], [:]) }
        let inner = call[call.index(after: open)..<call.index(before: call.endIndex)]
        var parts: [String] = [], depth = 0, current = ""
        for ch in inner {
            if ch == "(" || ch == "[" { depth += 1 }
            if ch == ")" || ch == "]" { depth -= 1 }
            if ch == ",", depth == 0 { parts.append(current.trimmingCharacters(in: .whitespaces)); current = ""; continue }
            current.append(ch)
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { parts.append(current.trimmingCharacters(in: .whitespaces)) }
        var positional: [String] = [], keywords: [String: String] = [:]
        for p in parts {
            if let eq = p.firstIndex(of: "="), !p[..<eq].contains("(") {
                keywords[String(p[..<eq])] = String(p[p.index(after: eq)...])
            } else {
                positional.append(p)
            }
        }
        return (positional, keywords)
    }

    /// `3` or `(3, 1)` as sizes, an int repeated `rank` times.
    static func sizes(_ text: String, rank: Int) -> [Int] {
        let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return numbers.count == 1 ? Array(repeating: numbers[0], count: rank) : numbers
    }

    /// The parameters PyTorch would create for one module line.
    static func parameters(_ module: String) -> Int {
        let name = String(module.prefix { $0 != "(" })
        let (pos, kw) = arguments(module)
        let int = { (i: Int) in Int(pos[i]) ?? 0 }
        let bias = kw["bias"] != "False"
        func rank(_ prefix: String) -> Int { Int(String(name.dropFirst(prefix.count).prefix(1))) ?? 1 }
        switch name {
        case _ where name.hasPrefix("nn.ConvTranspose"):
            let k = sizes(kw["kernel_size"] ?? "1", rank: rank("nn.ConvTranspose")).reduce(1, *)
            return int(0) * int(1) * k + (bias ? int(1) : 0)
        case _ where name.hasPrefix("nn.Conv"):
            let groups = Int(kw["groups"] ?? "1") ?? 1
            let k = sizes(kw["kernel_size"] ?? "1", rank: rank("nn.Conv")).reduce(1, *)
            return int(1) * (int(0) / groups) * k + (bias ? int(1) : 0)
        case "nn.Linear": return int(0) * int(1) + (bias ? int(1) : 0)
        case _ where name.hasPrefix("nn.BatchNorm"): return 2 * int(0)
        case "nn.LayerNorm": return kw["elementwise_affine"] == "False" ? 0 : 2 * int(0)
        case "KerasBatchNorm":
            return int(0) * ((kw["center"] == "False" ? 0 : 1) + (kw["scale"] == "False" ? 0 : 1))
        case "KerasLayerNorm":
            return sizes(pos[0], rank: 1).reduce(1, *) * ((kw["center"] == "False" ? 0 : 1) + (kw["scale"] == "False" ? 0 : 1))
        case "KerasPReLU": return sizes(pos[0], rank: 1).reduce(1, *)
        default: return 0
        }
    }

    // MARK: - What the Keras layers call for

    /// PyTorch parameters: every Keras weight but the statistics, which PyTorch keeps as buffers or constants.
    static func pyTorchParameters(_ s: ModelSummary) -> Int {
        let statistics: Set<String> = ["moving_mean", "moving_variance", "mean", "variance", "count"]
        return s.layers.flatMap(\.weights).filter { !statistics.contains($0.name) }.map(\.count).reduce(0, +)
    }

    /// The class of each PyTorch module that holds parameters, in order.
    static func expectedModules(_ s: ModelSummary) -> [String] {
        s.layers.flatMap { row -> [String] in
            let rank = max(1, row.inputShape.count - 1)
            let hasWeights = row.weights.contains { $0.name != "moving_mean" && $0.name != "moving_variance" }
            switch row.spec.kind {
            case .conv(let c):
                if case .separable = c.style { return ["nn.Conv\(c.rank)d", "nn.Conv\(c.rank)d"] }
                return ["nn.Conv\(c.rank)d"]
            case .convTranspose(let c): return ["nn.ConvTranspose\(c.rank)d"]
            case .dense: return [row.inputShape.count == 1 ? "nn.Linear" : "nn.Conv\(rank)d"]
            case .batchNorm(let b):
                guard hasWeights else { return [] }
                let plain = b.center && b.scale && (b.axis == -1 || b.axis == row.inputShape.count)
                return [plain ? "nn.BatchNorm\(row.inputShape.count >= 2 ? min(row.inputShape.count - 1, 3) : 1)d" : "KerasBatchNorm"]
            case .layerNorm(let l):
                guard hasWeights else { return [] }
                let plain = row.inputShape.count == 1 && (l.axes == [-1] || l.axes == [1]) && l.center == l.scale
                return [plain ? "nn.LayerNorm" : "KerasLayerNorm"]
            case .prelu: return ["KerasPReLU"]
            default: return []
            }
        }
    }
}
