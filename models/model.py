"""Quantile LSTM whose input/output scaling lives inside the graph.

The exported ONNX model therefore takes raw features (features.py) and returns
log-return quantiles directly; Java never needs the scaling constants. Quantile order
(q0.1 <= q0.5 <= q0.9) is guaranteed by construction: q0.5 plus/minus softplus offsets.
"""
import torch
from torch import nn
from torch.nn import functional as F

QUANTILES = (0.1, 0.5, 0.9)


class QuantileLSTM(nn.Module):
    def __init__(self, n_features=5, hidden=48, layers=2, dropout=0.1):
        super().__init__()
        self.config = {"n_features": n_features, "hidden": hidden, "layers": layers, "dropout": dropout}
        # Fitted on the training split only (set_scaling); identity until then.
        self.register_buffer("feature_mean", torch.zeros(n_features))
        self.register_buffer("feature_std", torch.ones(n_features))
        self.register_buffer("target_std", torch.ones(1))
        self.lstm = nn.LSTM(n_features, hidden, num_layers=layers, batch_first=True,
                            dropout=dropout if layers > 1 else 0.0)
        self.head = nn.Linear(hidden, 3)

    def set_scaling(self, feature_mean, feature_std, target_std):
        self.feature_mean.copy_(torch.as_tensor(feature_mean, dtype=torch.float32))
        self.feature_std.copy_(torch.as_tensor(feature_std, dtype=torch.float32))
        self.target_std.fill_(float(target_std))

    def forward_scaled(self, features):
        """Quantiles in standardised target units (what the pinball loss trains on)."""
        x = (features - self.feature_mean) / self.feature_std
        out, _ = self.lstm(x)
        raw = self.head(out[:, -1, :])
        median = raw[:, 1:2]
        lower = median - F.softplus(raw[:, 0:1])
        upper = median + F.softplus(raw[:, 2:3])
        return torch.cat([lower, median, upper], dim=1)

    def forward(self, features):
        """Raw features [B, N, 5] -> next log-return quantiles [B, 3] (q0.1, q0.5, q0.9)."""
        return self.forward_scaled(features) * self.target_std


def pinball_loss(pred, target, quantiles=QUANTILES):
    """Mean pinball (quantile) loss; pred [B, Q], target [B]."""
    q = torch.tensor(quantiles, dtype=pred.dtype).unsqueeze(0)
    diff = target.unsqueeze(1) - pred
    return torch.maximum(q * diff, (q - 1) * diff).mean()
