import CNNModel
import Foundation

/// Tab completion in the command line: layer names, argument names, option
/// values, command words, and a template for each layer.
public enum Completion {
    /// The result of pressing Tab.
    public struct Result: Hashable, Sendable {
        /// The new text and cursor.
        public var text: String
        public var cursor: Int
        /// The choices when more than one fits (empty when completion was unique).
        public var candidates: [String]
    }

    /// A ready-to-edit call for each layer, typed on Tab after a full layer name.
    public static func template(_ layer: String) -> String {
        switch layer {
        case "Input", "InputLayer": return "Input(shape=(224, 224, 3))"
        case "Conv1D": return "Conv1D(32, 3, activation='relu')"
        case "Conv2D": return "Conv2D(32, (3, 3), activation='relu')"
        case "Conv3D": return "Conv3D(16, (3, 3, 3), activation='relu')"
        case "DepthwiseConv2D": return "DepthwiseConv2D((3, 3), padding='same')"
        case "SeparableConv2D": return "SeparableConv2D(64, (3, 3), activation='relu')"
        case "MaxPooling1D", "AveragePooling1D": return "\(layer)(2)"
        case "MaxPooling2D", "AveragePooling2D": return "\(layer)((2, 2))"
        case "MaxPooling3D", "AveragePooling3D": return "\(layer)((2, 2, 2))"
        case "Dropout": return "Dropout(0.3)"
        case "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D": return "\(layer)(0.2)"
        case "Activation": return "Activation('relu')"
        case "Dense": return "Dense(64, activation='relu')"
        case "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D": return "\(layer)(1)"
        case "Conv1DTranspose": return "Conv1DTranspose(32, 3, strides=2, padding='same')"
        case "Conv2DTranspose": return "Conv2DTranspose(32, (3, 3), strides=2, padding='same')"
        case "Conv3DTranspose": return "Conv3DTranspose(16, (3, 3, 3), strides=2, padding='same')"
        case "Rescaling": return "Rescaling(1.0 / 255)"
        case "Normalization": return "Normalization(mean=0.5, variance=0.25)"
        case "Reshape": return "Reshape((-1,))"
        case "Permute": return "Permute((2, 1))"
        case "RepeatVector": return "RepeatVector(3)"
        case "GaussianNoise": return "GaussianNoise(0.1)"
        case "GaussianDropout", "AlphaDropout": return "\(layer)(0.1)"
        case "ActivityRegularization": return "ActivityRegularization(l1=0.01)"
        default: return "\(layer)()"
        }
    }

    /// Command words the command line understands besides layers.
    public static let commands = ["input", "head", "open", "image", "run", "new", "undo", "redo", "help", "quit",
                                  "builder", "compare", "features"]

    static let optionValues: [String: [String]] = [
        "activation": Activation.allCases.map(\.rawValue),
        "padding": Padding.allCases.map(\.rawValue),
    ]

    /// Completes the word before `cursor` in `text`.
    public static func complete(_ text: String, cursor: Int) -> Result {
        let chars = Array(text)
        let cut = min(max(0, cursor), chars.count)
        var start = cut
        while start > 0, isWordChar(chars[start - 1]) { start -= 1 }
        let word = String(chars[start..<cut])
        let before = String(chars[..<start])
        let after = String(chars[cut...])

        var candidates: [String]
        var suffix = ""
        if let option = quotedOption(before) {
            candidates = (optionValues[option] ?? []).filter { $0.hasPrefix(word) }
            suffix = "'"
        } else if let layer = enclosingCall(before) {
            candidates = LayerCatalog.argumentNames(of: layer).filter { $0.hasPrefix(word) }
            suffix = "="
        } else if before.trimmingCharacters(in: .whitespaces).isEmpty, !word.contains(".") {
            let layerMatches = layerNames.filter { $0.hasPrefix(word) }
            let commandMatches = word.isEmpty ? [] : commands.filter { $0.hasPrefix(word) }
            if layerMatches.count == 1, commandMatches.isEmpty || word == layerMatches[0] {
                let t = template(layerMatches[0])
                return Result(text: before + t + after, cursor: before.count + t.count, candidates: [])
            }
            candidates = layerMatches + commandMatches
            suffix = commandMatches.count == 1 && layerMatches.isEmpty ? " " : ""
        } else {
            // A prefixed name such as keras.layers.Con.
            let parts = word.split(separator: ".", omittingEmptySubsequences: false)
            let last = String(parts.last ?? "")
            let prefix = word.dropLast(last.count)
            let matches = layerNames.filter { $0.hasPrefix(last) }
            if matches.count == 1 {
                let t = prefix + template(matches[0])
                return Result(text: before + t + after, cursor: before.count + t.count, candidates: [])
            }
            candidates = matches.map { prefix + $0 }
        }
        if candidates.count == 1 {
            let done = candidates[0] + suffix
            return Result(text: before + done + after, cursor: before.count + done.count, candidates: [])
        }
        let common = commonPrefix(candidates)
        let completed = common.count > word.count ? common : word
        return Result(text: before + completed + after, cursor: before.count + completed.count, candidates: candidates)
    }

    static var layerNames: [String] { LayerCatalog.layerNames.filter { $0 != "InputLayer" } }

    static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." }

    /// The layer whose parentheses the cursor is inside, if any.
    static func enclosingCall(_ before: String) -> String? {
        let chars = Array(before)
        var depth = 0
        var i = chars.count - 1
        var quote: Character?
        while i >= 0 {
            let c = chars[i]
            if let q = quote { if c == q { quote = nil } }
            else if c == "'" || c == "\"" { quote = c }
            else if c == ")" || c == "]" { depth += 1 }
            else if c == "(" || c == "[" {
                if depth == 0 {
                    guard c == "(" else { return nil }
                    var j = i
                    while j > 0, isWordChar(chars[j - 1]) { j -= 1 }
                    let name = String(chars[j..<i]).split(separator: ".").last.map(String.init) ?? ""
                    return LayerCatalog.layerNames.contains(name) || name == "Input" ? name : nil
                }
                depth -= 1
            }
            i -= 1
        }
        return nil
    }

    /// `activation` when the text ends in `activation='`, and the same for other options.
    static func quotedOption(_ before: String) -> String? {
        for option in optionValues.keys {
            for q in ["'", "\""] {
                for eq in ["=", " = "] where before.hasSuffix(option + eq + q) { return option }
            }
        }
        if before.hasSuffix("Activation('") || before.hasSuffix("Activation(\"") { return "activation" }
        return nil
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for w in words.dropFirst() {
            while !w.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
