"""Regenerate docs/img/tiny_llama.svg, the picture of docs chapter 7.7: the toy TinyLlama (dim 4,
1 layer, 1 head) after backward, drawn by ``viz.draw_graph`` with one box per module call.
Run: ``.venv/bin/python docs/make_llama_graph.py``."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import tinygrad_cn as tg
from tinygrad_cn import data, viz
from tinygrad_cn.models import TinyLlama

OUT = Path(__file__).resolve().parent / "img" / "tiny_llama.svg"


def tiny_llama() -> tg.Value:
    """The same model and loss as the chapter's code block, after backward."""
    tok = data.CharTokenizer().fit("春夏秋冬")
    model = TinyLlama(tok.vocab_size, dim=4, n_layers=1, n_heads=1, multiple_of=4, max_seq_len=8, dtype=np.float64)
    loss = model.loss(tok.encode("春夏秋")[None], tok.encode("夏秋冬")[None])
    loss.label = "loss"
    loss.backward()
    return loss


def main() -> None:
    viz.render(viz.draw_graph(tiny_llama(), rankdir="TB"), OUT)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
