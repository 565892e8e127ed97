"""02 · Softmax 回归：8×8 手写数字，以及学到的权重图像 / softmax regression on handwritten digits.

笔记里的多分类器：C 个线性得分经 softmax 变成概率，用交叉熵训练，预测得分最大的类别。
每个 w_c 对每个像素有一个权重，可以画成 8×8 的图像：一个与输入做点积的“模板”。
UCI 手写数字（1797 张 8×8 图像）代替笔记中的 CIFAR-10。

The notes' multi-class classifier: C linear scores s_c = w_c·x + b_c, turned into probabilities by
softmax, P(y=c|x) = e^{s_c} / Σ_k e^{s_k}, trained with cross-entropy; the prediction is the class of
the largest score. Each w_c has one weight per pixel, so it can be shown as an 8×8 image: a template
that the image is compared with (a dot product). The UCI digits (1,797 images of 8×8 pixels) stand in
for the notes' CIFAR-10.

    python examples/02_softmax_regression_digits.py [--lang en] [--quick] [--out DIR]
"""

import numpy as np
from _common import Example

import tinygrad_cn as tg
import tinygrad_cn.functional as F
from tinygrad_cn import data
from tinygrad_cn.models import SoftmaxRegression

ex = Example(__doc__)
epochs = 5 if ex.quick else 50

# 1. data: pixels 0..16 scaled to 0..1, a stratified 75/25 split
X, y = data.load_digits()
X = X / 16.0
X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=0, stratify=True)
ex.say("数据：load_digits，{n} 张 8×8 图像（每张 64 个像素特征），10 个类别；训练 {a} 张，测试 {b} 张",
       "data: load_digits, {n} images of 8×8 (64 pixel features), 10 classes; {a} for training, {b} for testing",
       n=len(X), a=len(X_train), b=len(X_test))

# 2. train: W has shape (10, 64), one row (template) per digit; Adam on the cross-entropy
clf = SoftmaxRegression(lr=0.01, epochs=epochs, batch_size=64, optimizer="adam", seed=0, verbose=True)
clf.fit(X_train, y_train)
ex.say("权重 W 的形状 {w}，偏置 b 的形状 {b}：每个类别一行（一个 8×8 模板）",
       "weights W {w}, biases b {b}: one row (an 8×8 template) per class", w=clf.coef_.shape, b=clf.intercept_.shape)
ex.say("训练损失：第 1 轮 {a:.4f} → 第 {n} 轮 {b:.4f}", "training loss: epoch 1 {a:.4f} → epoch {n} {b:.4f}",
       a=clf.loss_history_[0], n=epochs, b=clf.loss_history_[-1])
train_acc, test_acc = clf.score(X_train, y_train), clf.score(X_test, y_test)
ex.say("训练集准确率：{a:.1%}", "train accuracy: {a:.1%}", a=train_acc)
ex.say("测试集准确率：{a:.1%}", "test accuracy: {a:.1%}", a=test_acc)

# 3. one test image, step by step: scores → softmax → the largest probability wins
x = X_test[:1]
scores = clf.decision_function(x)[0]
proba = F.softmax(tg.Value(scores), axis=-1).data
top = np.argsort(proba)[::-1][:3]
ex.say("第一张测试图像（真实标签 {t}）：概率最大的三个类别 {top}",
       "first test image (true label {t}): the three most probable classes {top}", t=y_test[0],
       top=", ".join(f"{c}: {proba[c]:.3f}" for c in top))
ex.say("softmax(s) 与 predict_proba 之差：{d:.1e}", "softmax(s) vs predict_proba, max difference: {d:.1e}",
       d=np.abs(proba - clf.predict_proba(x)[0]).max())

# 4. which digits get confused? per-class test accuracy and the most common mistake
pred = clf.predict(X_test)
per_class = [np.mean(pred[y_test == c] == c) for c in range(10)]
ex.say("各类别测试准确率：{acc}", "test accuracy per class: {acc}", acc=" ".join(f"{c}:{a:.0%}" for c, a in enumerate(per_class)))
wrong = [(t, p) for t, p in zip(y_test, pred) if t != p]
if wrong:
    pairs, counts = np.unique(np.array(wrong), axis=0, return_counts=True)
    (t, p), k = pairs[counts.argmax()], counts.max()
    ex.say("最常见的错误：把 {t} 认成 {p}（{k} 次）", "most common mistake: {t} taken for {p} ({k} times)", t=t, p=p, k=k)

# 5. reading a template: a 0 has no ink in its middle, so w[0] should be negative there
W = clf.coef_
middle = W[0].reshape(8, 8)[3:5, 3:5].mean()
ex.say("w[0] 中间 2×2 个像素的平均权重：{v:+.2f}（w[0] 全部像素平均 {m:+.2f}）",
       "mean weight of the middle 2×2 pixels of w[0]: {v:+.2f} (all of w[0]: {m:+.2f})", v=middle, m=W[0].mean())
if middle < 0:
    ex.say("  → 中间有墨迹的图像，得分 s₀ 会降低：它不像 0", "  → ink in the middle lowers the score s₀: it argues against a 0")

# 6. figure: the learned templates (rows of W) above the average training image of each digit
fig, axes = ex.figure(2, 10, figsize=(13, 3.3))
lim = np.abs(W).max()
for c in range(10):
    axes[0, c].imshow(W[c].reshape(8, 8), cmap="RdBu_r", vmin=-lim, vmax=lim)
    axes[0, c].set_title(f"w[{c}]", fontsize=9)
    axes[1, c].imshow(X_train[y_train == c].mean(axis=0).reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    axes[1, c].set_title(ex.label("{c} 的平均图像", "mean {c}", c=c), fontsize=9)
for ax in axes.ravel():
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle(ex.label("softmax 回归学到的权重（红 = 正，蓝 = 负），测试准确率 {a:.1%}",
                      "softmax regression weights (red = positive, blue = negative), test accuracy {a:.1%}", a=test_acc))
ex.save(fig, "02_softmax_regression_digits.png")
ex.done()
