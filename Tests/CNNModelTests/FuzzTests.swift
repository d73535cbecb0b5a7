import CNNModel
import Testing

/// Mangled sources never crash the parser or the shape inference.
@Suite struct FuzzTests {
    /// SplitMix64, so that a failure can be replayed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func randomEditsOfTheSeedModel() {
        var rng = Generator(state: 42)
        let alphabet = Array("()[],=.'\"#\n 0123456789-_abcxyzConv2DenseFlatInput")
        var outcomes = (parsed: 0, refusedByModel: 0, refusedByParser: 0)
        for _ in 0..<2000 {
            var chars = Array(SeedModels.flatten)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<chars.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: chars.remove(at: i)
                case 1: chars.insert(alphabet.randomElement(using: &rng)!, at: i)
                default: chars[i] = alphabet.randomElement(using: &rng)!
                }
            }
            do {
                let model = try KerasParser.parse(String(chars))
                do {
                    _ = try model.summary()
                    outcomes.parsed += 1
                } catch {
                    #expect(!error.reason.isEmpty)
                    outcomes.refusedByModel += 1
                }
            } catch {
                #expect(error.line >= 1 && error.column >= 1)
                _ = error.rendered(source: String(chars))
                outcomes.refusedByParser += 1
            }
        }
        // The edits must exercise all three paths, or the test proves little.
        #expect(outcomes.parsed > 100)
        #expect(outcomes.refusedByParser > 100)
        #expect(outcomes.refusedByModel > 0)
    }
}
