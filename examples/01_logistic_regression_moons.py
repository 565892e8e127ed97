"""01 · 逻辑回归：两个半月形数据上的线性决策边界 / logistic regression on two moons.

笔记里的二分类器：线性得分 s = w·x + b，经 σ 变成 P(y=1|x) = σ(s)，用交叉熵训练，梯度是
(σ(s) − y)·x 对样本取平均。决策边界 σ(s) = 0.5 就是直线 s = 0，所以两个交错的月牙分不干净。

The notes' binary classifier: a linear score s = w·x + b, squashed by σ into P(y=1|x) = σ(s), trained
by minimising the cross-entropy between the true and the predicted label distribution. Its gradient is
(σ(s) − y)·x, averaged over the samples. The decision boundary σ(s) = 0.5 is the straight line s = 0,
so the two interleaved moons cannot be separated perfectly.

    python examples/01_logistic_regression_moons.py [--lang en] [--quick] [--out DIR]
"""

import numpy as np
from _common import Example, plot_decision_regions

import tinygrad_cn as tg
import tinygrad_cn.functional as F
from tinygrad_cn import data
from tinygrad_cn.models import LogisticRegression

ex = Example(__doc__)
n_samples, epochs = (200, 30) if ex.quick else (400, 100)

# 1. data: two moons, 25 % held out for testing
X, y = data.make_moons(n_samples, noise=0.2, seed=0)
X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=0, stratify=True)
ex.say("数据：make_moons，训练 {a} 个样本，测试 {b} 个样本，每个样本 2 个特征",
       "data: make_moons, {a} training and {b} test samples, 2 features each", a=len(X_train), b=len(X_test))

# 2. train: minibatch SGD on binary cross-entropy (the progress bar shows the loss)
clf = LogisticRegression(lr=0.5, epochs=epochs, batch_size=32, seed=0, verbose=True).fit(X_train, y_train)
w, b = clf.coef_[0], clf.intercept_[0]
ex.say("学到的参数：w = [{w0:.3f}, {w1:.3f}]，b = {b:.3f}", "learned: w = [{w0:.3f}, {w1:.3f}], b = {b:.3f}",
       w0=w[0], w1=w[1], b=b)
line = f"{w[0]:.3f}·x₁ {'−' if w[1] < 0 else '+'} {abs(w[1]):.3f}·x₂ {'−' if b < 0 else '+'} {abs(b):.3f} = 0"
ex.say("决策边界（σ(s) = 0.5，即 s = 0）是一条直线：{line}",
       "decision boundary (σ(s) = 0.5, i.e. s = 0) is a straight line: {line}", line=line)
ex.say("训练损失：第 1 轮 {a:.4f} → 第 {n} 轮 {b:.4f}", "training loss: epoch 1 {a:.4f} → epoch {n} {b:.4f}",
       a=clf.loss_history_[0], n=epochs, b=clf.loss_history_[-1])
train_acc, test_acc = clf.score(X_train, y_train), clf.score(X_test, y_test)
ex.say("训练集准确率：{a:.1%}", "train accuracy: {a:.1%}", a=train_acc)
ex.say("测试集准确率：{a:.1%}", "test accuracy: {a:.1%}", a=test_acc)

# 3. the notes' gradient: ∂L/∂w = mean((σ(s) − y)·x), ∂L/∂b = mean(σ(s) − y); autograd gives the same
w_v, b_v = tg.Value(clf.coef_, label="w"), tg.Value(clf.intercept_, label="b")
loss = F.binary_cross_entropy_with_logits(X_train @ w_v.T + b_v, y_train.reshape(-1, 1).astype(float))
loss.backward()
residual = 1 / (1 + np.exp(-(X_train @ w + b))) - y_train  # σ(s) − y
by_hand = np.append(residual @ X_train, residual.sum()) / len(X_train)
by_autograd = np.append(w_v.grad[0], b_v.grad)
ex.say("梯度公式 (σ(s) − y)·x 与自动求导之差：{d:.1e}", "gradient formula (σ(s) − y)·x vs autograd, max difference: {d:.1e}",
       d=np.abs(by_hand - by_autograd).max())
ex.say("月牙交错，没有一条直线能把它们完全分开；弯曲的边界见 05 和 06。",
       "The moons interleave: no straight line separates them; for a bent boundary see 05 and 06.")

# 4. figure: P(y=1|x) over the plane with the line s = 0, and the loss curve
fig, (ax1, ax2) = ex.figure(1, 2, figsize=(11, 4.5))
plot_decision_regions(ax1, clf.predict, X, y, ex.label("逻辑回归决策边界（测试准确率 {a:.1%}）",
                                                      "logistic regression (test accuracy {a:.1%})", a=test_acc))
gx, gy = np.meshgrid(np.linspace(*ax1.get_xlim(), 200), np.linspace(*ax1.get_ylim(), 200))
proba = clf.predict_proba(np.column_stack([gx.ravel(), gy.ravel()]))[:, 1].reshape(gx.shape)
levels = ax1.contour(gx, gy, proba, levels=[0.1, 0.3, 0.5, 0.7, 0.9], colors="k", linewidths=0.6)
ax1.clabel(levels, fmt="P=%.1f", fontsize=7)
ax1.legend(title="y", loc="lower left", fontsize=8)
ax2.plot(np.arange(1, epochs + 1), clf.loss_history_)
ax2.set_xlabel(ex.label("轮", "epoch"))
ax2.set_ylabel(ex.label("训练损失（交叉熵）", "training loss (cross-entropy)"))
ax2.grid(alpha=0.3)
ex.save(fig, "01_logistic_regression_moons.png")
ex.done()
