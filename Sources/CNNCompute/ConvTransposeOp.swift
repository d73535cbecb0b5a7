import CNNModel

/// Conv1DTranspose/2D/3D: every input cell adds its kernel-weighted copy into
/// the output, `strides` apart, from TensorFlow's `padBefore` on (the input
/// gradient of the convolution of the output, as `tf.nn.conv_transpose`).
/// Kernels are Keras' (k…, filters, in).
enum ConvTransposeOp {
    /// The layout of one transposed convolution on a batch.
    struct Geometry {
        let x: Map3, y: Map3
        let kernel: [Int], strides: [Int], dilation: [Int], padBefore: [Int]

        init(input: [Int], output: [Int], config c: ConvTranspose) {
            x = Map3(input)
            y = Map3(output)
            let lead = 3 - c.rank
            kernel = Array(repeating: 1, count: lead) + c.kernel
            strides = Array(repeating: 1, count: lead) + c.strides
            dilation = Array(repeating: 1, count: lead) + c.dilation
            let spatialOut = Array(output[1..<(output.count - 1)])
            padBefore = Array(repeating: 0, count: lead) + (0..<c.rank).map { a in
                c.padding == .valid ? 0 : WindowAxis(input: spatialOut[a], kernel: c.kernel[a], stride: c.strides[a],
                                                     dilation: c.dilation[a], padding: .same).padBefore
            }
        }

        /// Calls `body(input cell, kernel cell, output cell)` for every pair that lands inside the output,
        /// as offsets of cells (channels excluded).
        func visit(_ body: (Int, Int, Int) -> Void) {
            for n in 0..<x.n {
                for i0 in 0..<x.d { for i1 in 0..<x.h { for i2 in 0..<x.w {
                    let xi = ((n * x.d + i0) * x.h + i1) * x.w + i2
                    for q0 in 0..<kernel[0] {
                        let o0 = i0 * strides[0] - padBefore[0] + q0 * dilation[0]
                        guard o0 >= 0, o0 < y.d else { continue }
                        for q1 in 0..<kernel[1] {
                            let o1 = i1 * strides[1] - padBefore[1] + q1 * dilation[1]
                            guard o1 >= 0, o1 < y.h else { continue }
                            for q2 in 0..<kernel[2] {
                                let o2 = i2 * strides[2] - padBefore[2] + q2 * dilation[2]
                                guard o2 >= 0, o2 < y.w else { continue }
                                body(xi, (q0 * kernel[1] + q1) * kernel[2] + q2, ((n * y.d + o0) * y.h + o1) * y.w + o2)
                            }
                        }
                    }
                } } }
            }
        }
    }

    static func forward(_ x: Tensor, kernel: Tensor, bias: Tensor?, geometry g: Geometry) -> Tensor {
        let cin = g.x.c, f = g.y.c
        var y = Tensor(zeros: [g.y.n] + (x.rank == 3 ? [g.y.w] : x.rank == 4 ? [g.y.h, g.y.w] : [g.y.d, g.y.h, g.y.w]) + [f])
        g.visit { xi, q, o in
            for j in 0..<f {
                var s: Float = 0
                let w = (q * f + j) * cin
                for c in 0..<cin { s += x.data[xi * cin + c] * kernel.data[w + c] }
                y.data[o * f + j] += s
            }
        }
        if let bias {
            for i in 0..<y.count { y.data[i] += bias.data[i % f] }
        }
        return y
    }

    static func backward(_ dy: Tensor, x: Tensor, kernel: Tensor, hasBias: Bool, geometry g: Geometry, needInput: Bool)
        -> (dx: Tensor?, dKernel: Tensor, dBias: Tensor?) {
        let cin = g.x.c, f = g.y.c
        var dx = Tensor(zeros: x.shape)
        var dk = Tensor(zeros: kernel.shape)
        g.visit { xi, q, o in
            for j in 0..<f {
                let d = dy.data[o * f + j]
                if d == 0 { continue }
                let w = (q * f + j) * cin
                for c in 0..<cin {
                    dk.data[w + c] += x.data[xi * cin + c] * d
                    dx.data[xi * cin + c] += kernel.data[w + c] * d
                }
            }
        }
        var db: Tensor?
        if hasBias {
            var b = Tensor(zeros: [f])
            for i in 0..<dy.count { b.data[i % f] += dy.data[i] }
            db = b
        }
        return (needInput ? dx : nil, dk, db)
    }
}
