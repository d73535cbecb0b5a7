/// The small `nn.Module` classes the PyTorch export defines where PyTorch has
/// no module that does exactly what a Keras layer does. Tensors are NCHW: a
/// Keras channels-last axis `a` of a map is PyTorch's dim 1 for the channels
/// and `a + 1` for a spatial axis.
enum PyTorchHelpers {
    /// Each helper's Python source, by class name.
    static let source: [String: String] = [
        "Exp": """
            class Exp(nn.Module):
                def forward(self, x):
                    return torch.exp(x)
            """,
        "ChannelsLast": """
            def channels_last(x):
                return x.movedim(1, -1) if x.dim() > 2 else x


            def channels_first(x):
                return x.movedim(-1, 1) if x.dim() > 2 else x
            """,
        "KerasBatchNorm": """
            class KerasBatchNorm(nn.Module):
                \"\"\"Keras' BatchNormalization over one dim, with gamma and beta each optional.\"\"\"
                def __init__(self, channels, dim=1, eps=1e-3, momentum=0.01, center=True, scale=True):
                    super().__init__()
                    self.dim = dim
                    self.norm = nn.BatchNorm1d(channels, eps=eps, momentum=momentum, affine=False)
                    self.weight = nn.Parameter(torch.ones(channels)) if scale else None
                    self.bias = nn.Parameter(torch.zeros(channels)) if center else None

                def forward(self, x):
                    x = x.movedim(self.dim, 1)
                    shape = x.shape
                    y = self.norm(x.reshape(shape[0], shape[1], -1)).reshape(shape)
                    view = (1, -1) + (1,) * (y.dim() - 2)
                    if self.weight is not None:
                        y = y * self.weight.view(view)
                    if self.bias is not None:
                        y = y + self.bias.view(view)
                    return y.movedim(1, self.dim)
            """,
        "KerasLayerNorm": """
            class KerasLayerNorm(nn.Module):
                \"\"\"Keras' LayerNormalization over `dims` (PyTorch's), gamma and beta each optional.\"\"\"
                def __init__(self, shape, dims, eps=1e-3, center=True, scale=True):
                    super().__init__()
                    # `shape`: the weights' sizes in NCHW without the batch, 1 off the normalised dims.
                    self.dims, self.eps = dims, eps
                    self.weight = nn.Parameter(torch.ones(shape)) if scale else None
                    self.bias = nn.Parameter(torch.zeros(shape)) if center else None

                def forward(self, x):
                    mean = x.mean(self.dims, keepdim=True)
                    var = x.var(self.dims, keepdim=True, unbiased=False)
                    y = (x - mean) / torch.sqrt(var + self.eps)
                    if self.weight is not None:
                        y = y * self.weight
                    if self.bias is not None:
                        y = y + self.bias
                    return y
            """,
        "KerasReLU": """
            class KerasReLU(nn.Module):
                \"\"\"Keras' ReLU(max_value, negative_slope, threshold).\"\"\"
                def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0):
                    super().__init__()
                    self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold

                def forward(self, x):
                    y = torch.where(x >= self.threshold, x, self.negative_slope * (x - self.threshold))
                    if self.max_value is not None:
                        y = torch.where(x >= self.max_value, torch.full_like(x, self.max_value), y)
                    return y
            """,
        "AvgPoolSame": """
            class AvgPoolSame(nn.Module):
                \"\"\"TensorFlow's 'same' average pooling: zero padding that the average leaves out.\"\"\"
                def __init__(self, pool, kernel, stride, pads):
                    super().__init__()
                    self.pool = pool(kernel, stride)
                    self.pads = pads

                def forward(self, x):
                    total = self.pool(nn.functional.pad(x, self.pads))
                    cells = self.pool(nn.functional.pad(torch.ones_like(x[:1, :1]), self.pads))
                    return total / cells
            """,
        "Lambda": """
            class Lambda(nn.Module):
                def __init__(self, f):
                    super().__init__()
                    self.f = f

                def forward(self, x):
                    return self.f(x)
            """,
        "KerasPReLU": """
            class KerasPReLU(nn.Module):
                \"\"\"Keras' PReLU: a slope per cell of `shape` (NCHW, 1 along the shared axes).\"\"\"
                def __init__(self, shape):
                    super().__init__()
                    self.weight = nn.Parameter(torch.zeros(shape))

                def forward(self, x):
                    return torch.relu(x) - self.weight * torch.relu(-x)
            """,
        "GaussianNoise": """
            class GaussianNoise(nn.Module):
                def __init__(self, stddev):
                    super().__init__()
                    self.stddev = stddev

                def forward(self, x):
                    return x + torch.randn_like(x) * self.stddev if self.training else x
            """,
        "GaussianDropout": """
            class GaussianDropout(nn.Module):
                def __init__(self, rate):
                    super().__init__()
                    self.std = (rate / (1 - rate)) ** 0.5 if rate < 1 else 0.0

                def forward(self, x):
                    return x * (1 + torch.randn_like(x) * self.std) if self.training else x
            """,
        "Sparsemax": """
            def sparsemax(x):
                \"\"\"keras.activations.sparsemax over the last dim, as Keras 3.15 computes it on TensorFlow.\"\"\"
                z, _ = torch.sort(x, dim=-1, descending=True)
                k = torch.arange(1, x.shape[-1] + 1, dtype=x.dtype, device=x.device)
                cumulative = z.cumsum(-1)
                support = z - (cumulative - 1) / k > 0
                size = support.to(x.dtype).sum(-1, keepdim=True)
                tau = (torch.where(support, cumulative, torch.zeros_like(cumulative)).sum(-1, keepdim=True) - 1) / size
                return torch.clamp(x - tau, min=0)
            """,
    ]

    /// The helpers a helper's code calls.
    static let needs: [String: [String]] = ["Lambda": ["ChannelsLast"], "Sparsemax": ["ChannelsLast"]]
}
