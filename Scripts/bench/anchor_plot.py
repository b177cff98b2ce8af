"""Anchors for VisPlot: the same figures built with matplotlib (pyplot, Agg) and written with savefig, from
the same data (computed here with NumPy by the formulas of Workloads+Plot.swift)."""
import os

import numpy as np


def _matplotlib():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _finish(plt, fig, path, save):
    """Writes the figure as PNG (save) or only draws it with Agg, then closes it."""
    if save:
        fig.savefig(path)
    else:
        fig.canvas.draw()
    plt.close(fig)


def _curves_figure(plt, t, ys):
    fig, ax = plt.subplots()
    for k, y in enumerate(ys):
        ax.plot(t, y, label=f"run {k}")
    ax.set_title("loss"); ax.set_xlabel("iter"); ax.set_ylabel("value"); ax.grid(); ax.legend()
    return fig


def curves(workdir, save=True):
    plt = _matplotlib()
    t = np.arange(100_000, dtype=float)
    ys = [(k + 1) * np.exp(-t / 30_000) + 0.05 * np.sin(t * 0.37 + k) + 0.02 * np.sin(t * 12.9898 + k)
          for k in range(4)]
    path = os.path.join(workdir, "curves-mpl.png")

    def run():
        _finish(plt, _curves_figure(plt, t, ys), path, save)
    return run


def scatter(workdir, save=True):
    plt = _matplotlib()
    i = np.arange(10_000, dtype=float)
    label = i % 20
    angle = label * 2 * np.pi / 20
    u = np.sin(i * 12.9898) * 43758.5453
    v = np.sin(i * 78.233) * 12345.6789
    x = 40 * np.cos(angle) + 8 * ((u - np.floor(u)) * 2 - 1)
    y = 40 * np.sin(angle) + 8 * ((v - np.floor(v)) * 2 - 1)
    path = os.path.join(workdir, "scatter-mpl.png")

    def run():
        fig, ax = plt.subplots(figsize=(10, 10))
        ax.scatter(x, y, c=label, cmap="tab20")
        ax.set_title("t-SNE")
        _finish(plt, fig, path, save)
    return run


WORKLOADS = {
    "plot.curves.4x100k.legend.png": {"matplotlib": curves},
    "plot.curves.4x100k.legend.render": {"matplotlib": lambda workdir: curves(workdir, save=False)},
    "plot.scatter.tab20.10k.10x10in.png": {"matplotlib": scatter},
    "plot.scatter.tab20.10k.10x10in.render": {"matplotlib": lambda workdir: scatter(workdir, save=False)},
}
