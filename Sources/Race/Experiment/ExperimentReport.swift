import CNNCompute
import CNNModel
import Foundation

/// The experiment's result as text for a terminal, and as one JSON object.
extension ExperimentResult {
    // MARK: - JSON

    /// One JSON object with sorted keys; measured times sit under `timings`.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self), let text = String(data: data, encoding: .utf8) else {
            return "{}"
        }
        return text
    }

    // MARK: - Text

    /// The results table, the shape errors explained, and the times.
    public var text: String {
        let c = configuration
        var lines: [String] = []
        lines.append("The experiment: a Flatten head against a global-pooling head (seed \(c.seed))")
        lines.append("")
        let section = { (label: String, text: String) in
            let wrapped = ReportText.wrap(text, indent: "        ")
            lines.append(label.padding(toLength: 8, withPad: " ", startingAt: 0) + wrapped[0].dropFirst(8))
            lines.append(contentsOf: wrapped.dropFirst())
        }
        let d = dataset
        let shape = d.imageShape.map(String.init).joined(separator: "×")
        let gapShape = d.gapImageShape.map(String.init).joined(separator: "×")
        section("Models", "the seed's backbone on \(shape) (Conv2D 32, 32 → MaxPool → BatchNorm → Conv2D 64, 64 → "
            + "MaxPool → BatchNorm, with BatchNorm momentum 0.9 for this short run), then Flatten → Dropout(0.3) → "
            + "Dense 64 → Dense 32 → Dense \(d.classes.count), or GlobalAveragePooling2D → Dropout(0.3) → Dense \(d.classes.count)"
            + (gapShape != shape ? " on a \(gapShape) canvas with the image in its middle." : "."))
        let larges = c.largeCanvases.map { "\($0)×\($0)" }.joined(separator: ", ")
        if let shift = d.shift {
            let train = min(c.trainCount, d.availableTrain ?? c.trainCount)
            let test = min(c.testCount, d.availableTest ?? c.testCount)
            section("Data", "\(d.name) from \(c.dataPath ?? "?"), \(d.classes.count) classes "
                + "(\(d.classes.prefix(10).joined(separator: ", "))\(d.classes.count > 10 ? ", …" : "")), \(shape): "
                + "\(KerasFormat.grouped(train)) of its \(KerasFormat.grouped(d.availableTrain ?? 0)) train images and "
                + "\(KerasFormat.grouped(test)) of its \(KerasFormat.grouped(d.availableTest ?? 0)) test images; "
                + "\(KerasFormat.grouped(c.shiftedCount)) shifted: test images moved \(shift) px towards an edge; "
                + "\(min(c.largeCount, test)) test images in the middle of each of \(larges).")
        } else {
            section("Data", "\(d.classes.count) glyphs (\(d.classes.joined(separator: ", "))), \(shape) grayscale "
                + "with clutter: \(KerasFormat.grouped(c.trainCount)) train and \(KerasFormat.grouped(c.testCount)) test "
                + "images near the centre (mean offset \(KerasFormat.fixed(d.trainMeanOffset, decimals: 1)) px), "
                + "\(KerasFormat.grouped(c.shiftedCount)) shifted near the edges (mean offset "
                + "\(KerasFormat.fixed(d.shiftedMeanOffset, decimals: 1)) px), \(KerasFormat.grouped(c.largeCount)) on each of "
                + larges + ".")
        }
        section("Train", "\(c.optimizerText), batch \(c.batchSize), \(c.epochs) "
            + (c.epochs == 1 ? "epoch" : "epochs") + ", the same batches for both heads.")
        if let divergence {
            lines.append("")
            lines.append(contentsOf: ReportText.wrap("STOPPED: " + divergence.text))
        }
        lines.append("")
        lines.append(contentsOf: table)
        for head in heads {
            if let stop = head.stopped {
                lines.append("")
                lines.append("\(head.head.title) stopped: \(stop.message)")
            }
            for large in head.large {
                lines.append("")
                let outcome = large.evaluation.map { "runs, " + KerasFormat.percent($0.accuracy) + " accurate" }
                lines.append("\(head.head.title) on \(large.canvas)×\(large.canvas): " + (outcome ?? "can't run"))
                if let error = large.error { lines.append(contentsOf: ReportText.wrap("error: " + error, indent: "  ")) }
                if let why = large.explanation { lines.append(contentsOf: ReportText.wrap(why, indent: "  ")) }
            }
        }
        if cancelled {
            lines.append("")
            lines.append("The run was cancelled before the last epoch.")
        }
        lines.append("")
        var time = "Time    \(KerasFormat.fixed(timings.totalSeconds, decimals: 1)) s in all "
            + "(drawing the dataset \(KerasFormat.fixed(timings.datasetSeconds, decimals: 1)) s)"
        if let peak = timings.processPeakBytes { time += "; process peak memory \(KerasFormat.shortBytes(peak))" }
        lines.append(time)
        return lines.joined(separator: "\n")
    }

    /// The side-by-side table of both heads.
    private var table: [String] {
        var rows: [[String]] = [[""] + heads.map(\.head.title)]
        rows.append(["parameters"] + heads.map { KerasFormat.grouped($0.params) })
        rows.append(["  in the head"] + heads.map { KerasFormat.grouped($0.headParams) })
        rows.append(["mult-adds / image"] + heads.map { KerasFormat.grouped($0.multAddsPerImage) })
        rows.append(["peak memory (est.)"] + heads.map { KerasFormat.shortBytes($0.peakMemoryBytes) })
        let epochs = heads.map(\.epochs.count).max() ?? 0
        for e in 0..<epochs {
            rows.append(["epoch \(e + 1) train loss / acc"] + heads.map { h in
                e < h.epochs.count ? ReportText.lossAndAccuracy(h.epochs[e].trainLoss, h.epochs[e].trainAccuracy) : "-"
            })
            rows.append(["        test loss / acc"] + heads.map { h in
                e < h.epochs.count ? ReportText.lossAndAccuracy(h.epochs[e].testLoss, h.epochs[e].testAccuracy) : "-"
            })
        }
        rows.append(["test accuracy"] + heads.map { $0.finalTestAccuracy.map { KerasFormat.percent($0) } ?? "-" })
        rows.append(["shifted accuracy"] + heads.map { $0.shifted.map { KerasFormat.percent($0.accuracy) } ?? "-" })
        for canvas in configuration.largeCanvases {
            rows.append(["\(canvas)×\(canvas) accuracy"] + heads.map { h in
                guard let l = h.large.first(where: { $0.canvas == canvas }) else { return "-" }
                return l.evaluation.map { KerasFormat.percent($0.accuracy) } ?? "shape error"
            })
        }
        rows.append(["images / s"] + timings.heads.map { KerasFormat.fixed($0.imagesPerSecond, decimals: 0) })
        rows.append(["time / epoch"] + timings.heads.map { t in
            t.epochSeconds.isEmpty ? "-" : KerasFormat.fixed(t.epochSeconds.reduce(0, +) / Double(t.epochSeconds.count), decimals: 2) + " s"
        })
        let widths = (0..<rows[0].count).map { col in rows.map { $0[col].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { col, cell in
                col == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[col] - cell.count + 3) + cell
            }.joined()
        }
    }
}

/// Text layout shared by the report and the app's experiment view.
public enum ReportText {
    /// `0.412 / 87.3%`: a loss and an accuracy.
    public static func lossAndAccuracy(_ loss: Double, _ accuracy: Double) -> String {
        KerasFormat.fixed(loss, decimals: 3) + " / " + KerasFormat.percent(accuracy)
    }

    /// Words wrapped to `width` columns, each line starting with `indent`.
    public static func wrap(_ text: String, width: Int = 78, indent: String = "") -> [String] {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            if line.count > indent.count, line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + word
        }
        if line.count > indent.count { lines.append(line) }
        return lines
    }
}
