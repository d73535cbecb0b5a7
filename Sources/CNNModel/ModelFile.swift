/// A model as a Python file a learner can run: Keras code, or the PyTorch equivalent.
///
/// `cnn-tutor export` prints these, and the builder's `:w model.py` and
/// `:w model.pt.py` write them.
public enum ModelFile {
    /// Keras code: `import keras`, the `keras.Sequential([...])` block, `model.summary()`.
    public static func keras(_ model: Model) -> String {
        "import keras\n\n" + model.kerasCode + "\nmodel.summary()\n"
    }

    /// PyTorch code for the model, which must build (`summary`).
    public static func pyTorch(_ summary: ModelSummary) -> String {
        summary.pyTorchCode
    }

    /// True when a file name asks for PyTorch code (`model.pt.py`, `model_torch.py`).
    public static func wantsPyTorch(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init)?.lowercased() ?? path.lowercased()
        return name.hasSuffix(".pt.py") || name.hasSuffix("_torch.py") || name.hasSuffix(".torch.py")
    }
}
