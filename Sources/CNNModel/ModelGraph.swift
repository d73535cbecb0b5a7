/// How a functional model's layers connect: Keras' `model.layers` order and each layer's inputs.
public struct ModelGraph: Sendable, Hashable {
    /// The Input layer's name: `input_layer` unless the code names it.
    public var inputName: String
    /// For each layer, the layers whose outputs it takes, in call order; `-1` is the model's input.
    public var inbound: [[Int]]
    /// The name Keras gave each layer when the code created it (`conv2d_2`, …), used where `name=` is not given.
    public var autoNames: [String]
    /// The model's own `name=`, if given.
    public var modelName: String?

    public init(inputName: String = "input_layer", inbound: [[Int]], autoNames: [String], modelName: String? = nil) {
        self.inputName = inputName
        self.inbound = inbound
        self.autoNames = autoNames
        self.modelName = modelName
    }

    /// Whether every layer takes the one before it: Keras then prints no "Connected to" column.
    public var isChain: Bool {
        inbound.enumerated().allSatisfy { i, from in from == [i - 1] }
    }

    /// Keras' order of a graph's layers (`map_graph`): by decreasing depth (the longest path to the
    /// output), ties broken by the order a depth-first walk from the output first reaches them.
    ///
    /// - Parameters:
    ///   - inbound: each node's inputs; `-1` is the model's input.
    ///   - output: the output node.
    /// - Returns: the nodes that lead to the output, in Keras' order.
    public static func kerasOrder(inbound: [[Int]], output: Int) -> [Int] {
        var visitIndex: [Int: Int] = [:]
        var finished: [Int] = []  // post-order: inputs before what uses them
        var done = Set<Int>()
        func walk(_ node: Int) {
            if node < 0 || done.contains(node) { return }
            if visitIndex[node] == nil { visitIndex[node] = visitIndex.count }
            for from in inbound[node] { walk(from) }
            done.insert(node)
            finished.append(node)
        }
        walk(output)
        var depth: [Int: Int] = [:]
        for node in finished.reversed() {
            let d = depth[node, default: 0]
            depth[node] = d
            for from in inbound[node] where from >= 0 {
                depth[from] = max(depth[from, default: 0], d + 1)
            }
        }
        return finished.sorted {
            depth[$0]! != depth[$1]! ? depth[$0]! > depth[$1]! : visitIndex[$0]! < visitIndex[$1]!
        }
    }
}
