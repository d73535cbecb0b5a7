/// GaussianNoise, GaussianDropout or AlphaDropout.
public struct Noise: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case gaussianNoise = "GaussianNoise", gaussianDropout = "GaussianDropout", alphaDropout = "AlphaDropout"
    }
    public var kind: Kind
    /// The standard deviation for GaussianNoise, the rate for the others.
    public var amount: Double
    public var seed: Int?
    public init(_ kind: Kind, _ amount: Double, seed: Int? = nil) {
        self.kind = kind
        self.amount = amount
        self.seed = seed
    }
}
