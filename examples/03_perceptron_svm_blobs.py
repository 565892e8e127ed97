"""03 · 感知器与线性 SVM：同样分对，间隔却不同 / perceptron and linear SVM: both separate, margins differ.

两者都预测 sign(w·x + b)。感知器最小化 max(0, −y·s)：所有点分对后损失为 0，学习就停了，
直线停在哪里算哪里。SVM 最小化合页损失 max(0, 1 − y·s) 加 ½α‖w‖²：它继续把每个点推到离直线
至少 1 个单位得分的地方，同时让 ‖w‖ 小；|s| ≤ 1 的带宽是 2/‖w‖（间隔），带上和带内的点是支持向量。

Both predict sign(w·x + b) with labels y ∈ {−1, +1}. The perceptron minimises max(0, −y·s): once every
training point is on the right side its loss is 0 and learning stops, wherever the line happens to be.
The SVM minimises the hinge max(0, 1 − y·s) plus ½α‖w‖²: it keeps pushing until each point is at
least 1 unit of score past the line, while keeping ‖w‖ small; the band |s| ≤ 1 has width 2/‖w‖
(the margin), and the points on or inside it are the support vectors.

    python examples/03_perceptron_svm_blobs.py [--lang en] [--quick] [--out DIR]
"""

import numpy as np
from _common import Example, plot_decision_regions

from tinygrad_cn import data
from tinygrad_cn.models import LinearSVM, Perceptron

ex = Example(__doc__)
epochs_p, epochs_s = (10, 60) if ex.quick else (30, 100)

X, y = data.make_blobs(200, centers=[[-1.5, -1.5], [1.5, 1.5]], std=0.7, seed=3)
X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=0, stratify=True)
y_pm = np.where(y_train == 1, 1, -1)  # the {−1, +1} labels both models train on
ex.say("数据：两团高斯点 make_blobs，训练 {a} 个，测试 {b} 个", "data: two Gaussian blobs, {a} training and {b} test samples",
       a=len(X_train), b=len(X_test))

models = {
    "perceptron": Perceptron(lr=0.1, epochs=epochs_p, seed=0, verbose=True).fit(X_train, y_train),
    "svm": LinearSVM(C=1.0, lr=0.1, epochs=epochs_s, seed=0, verbose=True).fit(X_train, y_train),
}
names = {"perceptron": ("感知器", "perceptron"), "svm": ("线性 SVM", "linear SVM")}
margins = {}
for key, clf in models.items():
    zh, en = names[key]
    w, b = clf.coef_[0], clf.intercept_[0]
    s = X_train @ w + b
    margins[key] = (y_pm * s).min() / np.linalg.norm(w)  # distance of the closest training point to the line
    ex.say("{m}：训练集准确率：{a:.1%}，测试集准确率：{t:.1%}", "{m}: train accuracy: {a:.1%}, test accuracy: {t:.1%}",
           m=ex.text(zh, en), a=clf.score(X_train, y_train), t=clf.score(X_test, y_test))
    ex.say("  ‖w‖ = {n:.3f}；最近的训练点到直线的距离（几何间隔）：{g:.3f}",
           "  ‖w‖ = {n:.3f}; distance of the closest training point to the line (geometric margin): {g:.3f}",
           n=np.linalg.norm(w), g=margins[key])

p_hist = models["perceptron"].loss_history_
stop = next((i + 1 for i, v in enumerate(p_hist) if v == 0), None)
if stop is not None:
    ex.say("感知器的损失在第 {e} 轮变为 0：所有点都分对了，w 从此不再改变",
           "the perceptron's loss reached 0 in epoch {e}: every point is on the right side, so w stops changing", e=stop)
svm = models["svm"]
w, b = svm.coef_[0], svm.intercept_[0]
s = X_train @ w + b
support = y_pm * s <= 1 + 1e-6
ex.say("SVM：间隔带 |s| ≤ 1 的宽度 2/‖w‖ = {m:.3f}；带上或带内的训练点（支持向量）{k} 个",
       "SVM: the band |s| ≤ 1 is 2/‖w‖ = {m:.3f} wide; {k} training points lie on or inside it (support vectors)",
       m=2 / np.linalg.norm(w), k=int(support.sum()))
if margins["svm"] > margins["perceptron"]:
    ex.say("几何间隔：SVM {s:.3f} > 感知器 {p:.3f}：SVM 把直线放在离两类都更远的地方",
           "geometric margin: SVM {s:.3f} > perceptron {p:.3f}: the SVM puts its line farther from both classes",
           s=margins["svm"], p=margins["perceptron"])
else:
    ex.say("几何间隔：SVM {s:.3f}，感知器 {p:.3f}：这次感知器碰巧也停在了离两类较远的地方",
           "geometric margin: SVM {s:.3f}, perceptron {p:.3f}: this time the perceptron happened to stop far from both too",
           s=margins["svm"], p=margins["perceptron"])

# figure: both lines; the SVM's band s = ±1 dashed and its support vectors circled
fig, axes = ex.figure(1, 2, figsize=(11, 5))
for ax, (key, clf) in zip(axes, models.items()):
    zh, en = names[key]
    plot_decision_regions(ax, clf.predict, X_train, y_train,
                          ex.label("{m}：几何间隔 {g:.3f}", "{m}: geometric margin {g:.3f}", m=ex.label(zh, en), g=margins[key]))
    w, b = clf.coef_[0], clf.intercept_[0]
    xs = np.linspace(*ax.get_xlim(), 2)
    levels = (-1, 0, 1) if key == "svm" else (0,)
    for level in levels:  # w₀x₀ + w₁x₁ + b = level  →  x₁ = (level − b − w₀x₀) / w₁
        ax.plot(xs, (level - b - w[0] * xs) / w[1], "k-" if level == 0 else "k--", linewidth=1.2 if level == 0 else 0.9)
    if key == "svm":
        ax.scatter(*X_train[support].T, s=110, facecolors="none", edgecolors="k", linewidths=1.2,
                   label=ex.label("支持向量", "support vectors"))
    closest = np.argmin(y_pm * (X_train @ w + b))
    ax.scatter(*X_train[closest], s=160, marker="*", color="gold", edgecolors="k", zorder=5,
               label=ex.label("最近的点", "closest point"))
    ax.legend(loc="lower right", fontsize=8)
ex.save(fig, "03_perceptron_svm_blobs.png")
ex.done()
