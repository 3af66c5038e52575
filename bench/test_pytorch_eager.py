"""Checks of the reference's padding and pooling against their definitions; run with bench/.venv/bin/python -m
pytest bench (or plainly: bench/.venv/bin/python bench/test_pytorch_eager.py). Needs torch; not part of CI."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import pytorch_eager as pe  # noqa: E402  (imports torch quietly)
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402



def test_same_padding_puts_the_odd_element_after():
    assert pe.same_padding(32, 3, 1) == (1, 1)
    assert pe.same_padding(32, 3, 2) == (0, 1)  # out 16: 15 * 2 + 3 - 32 = 1
    assert pe.same_padding(7, 5, 2) == (2, 2)  # out 4: 3 * 2 + 5 - 7 = 4
    assert pe.same_padding(28, 1, 2) == (0, 0)


def test_asymmetric_conv_matches_an_explicit_bottom_right_pad():
    x = torch.randn(2, 3, 8, 8)
    w = torch.randn(4, 3, 3, 3)
    y = pe.conv(x, w, 3, 2, 1, "SAME", 1)
    want = F.conv2d(F.pad(x, (0, 1, 0, 1)), w, None, 2)
    assert y.shape == (2, 4, 4, 4)
    assert torch.allclose(y, want, atol=1e-5)


def test_avg_pool_counts_only_real_elements_with_either_padding():
    child = pe.Child.__new__(pe.Child)
    x = torch.arange(16.0).reshape(1, 1, 4, 4)
    sym = child._pool(x, {"kind": "AVG", "kernel": 3, "stride": 1, "padding": "SAME"})
    assert abs(sym[0, 0, 0, 0].item() - (0 + 1 + 4 + 5) / 4.0) < 1e-6
    asym = child._pool(x, {"kind": "AVG", "kernel": 3, "stride": 2, "padding": "SAME"})
    assert asym.shape == (1, 1, 2, 2)
    assert abs(asym[0, 0, 1, 1].item() - (10 + 11 + 14 + 15) / 4.0) < 1e-6  # the bottom-right window
    mx = child._pool(-x, {"kind": "MAX", "kernel": 3, "stride": 2, "padding": "SAME"})
    assert mx[0, 0, 1, 1] == -10  # padding never wins a max


if __name__ == "__main__":
    for name, fn in list(globals().items()):
        if name.startswith("test_"):
            fn()
    print("%d passed, 0 failed" % sum(1 for n in globals() if n.startswith("test_")))
