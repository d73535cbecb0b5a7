import CNNModel

/// libFuzzer's entry: the bytes as Keras code, through the parser and, when
/// it parses, shape inference and the summary (what every keystroke runs).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKeras(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    guard let model = try? KerasParser.parse(text) else { return 0 }
    _ = try? model.summary(inputShape: nil)
    return 0
}
