"""05 · SwiGLU 前馈网络分开三条螺旋线，线性模型做不到 / a SwiGLU FeedForward network on spirals.

三条交错的螺旋线：没有一条直线能把一条臂和其余分开，01–03 的线性分类器只比随机猜好一点。
笔记中 LLaMA 式的 FeedForward：FFN(x) = w2(silu(w1·x) ⊙ w3·x)，用一个线性映射的 SiLU 给另一个
线性映射加门控；套成 embed → x + FFN(x) → head，用交叉熵训练，边界就能绕着螺旋弯曲。训练循环完整
写出：前向、损失、zero_grad、反向、step。

Three interleaved spiral arms: no straight line separates one arm from the others, so the linear
classifiers of 01–03 stay near chance. The notes' LLaMA-style FeedForward,
    FFN(x) = w2( silu(w1·x) ⊙ w3·x ),   silu(a) = a·σ(a),
gates one linear map with the SiLU of another; wrapped as embed → x + FFN(x) → head and trained with
cross-entropy, it bends its decision boundary around the arms. The training loop is written out in
full: forward, loss, zero_grad, backward, step.

    python examples/05_swiglu_ffn_spirals.py [--lang en] [--quick] [--out DIR]
"""

import numpy as np
from _common import Example, plot_decision_regions
from tqdm import tqdm

import tinygrad_cn as tg
import tinygrad_cn.functional as F
from tinygrad_cn import data, nn, optim
from tinygrad_cn.models import LinearSVM, SoftmaxRegression

ex = Example(__doc__)
n_samples, epochs = (450, 25) if ex.quick else (900, 60)

X, y = data.make_spirals(n_samples, n_classes=3, noise=0.2, seed=0)
X = X.astype(np.float32)  # the network's parameters are float32
X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=0, stratify=True)
ex.say("数据：make_spirals，3 条螺旋线，训练 {a} 个点，测试 {b} 个点",
       "data: make_spirals, 3 arms, {a} training and {b} test points", a=len(X_train), b=len(X_test))

# 1. the linear models first
linear = {
    "softmax": SoftmaxRegression(lr=0.1, epochs=50, seed=0).fit(X_train, y_train),
    "svm": LinearSVM(lr=0.1, epochs=50, seed=0).fit(X_train, y_train),
}
lin_acc = {k: m.score(X_test, y_test) for k, m in linear.items()}
ex.say("线性模型 softmax 回归：测试集准确率：{a:.1%}", "linear model softmax regression: test accuracy: {a:.1%}",
       a=lin_acc["softmax"])
ex.say("线性模型 线性 SVM（一对其余）：测试集准确率：{a:.1%}", "linear model linear SVM (one-vs-rest): test accuracy: {a:.1%}",
       a=lin_acc["svm"])


# 2. the network: a residual SwiGLU block between a linear embedding and a linear head
class SpiralNet(nn.Module):
    def __init__(self, dim: int = 32, n_classes: int = 3, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.embed = nn.Linear(2, dim, generator=rng)  # 2 coordinates → dim features
        self.ffn = nn.FeedForward(dim, multiple_of=16, generator=rng)  # w2(silu(w1 h) ⊙ w3 h)
        self.head = nn.Linear(dim, n_classes, generator=rng)  # dim features → one score per class

    def forward(self, x):
        h = self.embed(x)
        h = h + self.ffn(h)
        return self.head(h)


net = SpiralNet()
dim, multiple = net.ffn.dim, net.ffn.multiple_of
ex.say("FeedForward(dim={d}, multiple_of={m})：hidden_dim = 4·{d} = {a} → int(2·{a}/3) = {b} → 向上取 {m} 的倍数 = {h}",
       "FeedForward(dim={d}, multiple_of={m}): hidden_dim = 4·{d} = {a} → int(2·{a}/3) = {b} → up to a multiple of {m} = {h}",
       d=dim, m=multiple, a=4 * dim, b=int(2 * 4 * dim / 3), h=net.ffn.hidden_dim)
n_params = sum(p.size for p in net.parameters())
ex.say("参数：{names}，共 {n} 个数", "parameters: {names}, {n} numbers in all", n=n_params,
       names=", ".join(f"{name} {p.shape}" for name, p in net.named_parameters()))

# 3. training: Adam on the cross-entropy, minibatches of 64
opt = optim.Adam(net.parameters(), lr=0.01)
rng = np.random.default_rng(0)
losses = []
for _ in (bar := tqdm(range(epochs), desc="SwiGLU FFN", disable=None)):
    total = 0.0
    for xb, yb in data.minibatches(X_train, y_train, batch_size=64, seed=rng):
        loss = F.cross_entropy(net(xb), yb)  # forward
        opt.zero_grad()
        loss.backward()  # backward: every parameter's .grad
        opt.step()  # update
        total += loss.item() * len(xb)
    losses.append(total / len(X_train))
    bar.set_postfix(loss=f"{losses[-1]:.4f}")


def predict(points: np.ndarray) -> np.ndarray:
    with tg.no_grad():  # no graph needed to predict
        return net(points).data.argmax(axis=1)


ffn_train, ffn_test = np.mean(predict(X_train) == y_train), np.mean(predict(X_test) == y_test)
ex.say("训练损失：第 1 轮 {a:.4f} → 第 {n} 轮 {b:.4f}", "training loss: epoch 1 {a:.4f} → epoch {n} {b:.4f}",
       a=losses[0], n=epochs, b=losses[-1])
ex.say("SwiGLU 前馈网络：训练集准确率：{a:.1%}", "SwiGLU FeedForward: train accuracy: {a:.1%}", a=ffn_train)
ex.say("SwiGLU 前馈网络：测试集准确率：{a:.1%}", "SwiGLU FeedForward: test accuracy: {a:.1%}", a=ffn_test)
ex.say("对比：线性模型 {l:.1%}（三类随机猜约 33%），SwiGLU 网络 {f:.1%}",
       "compare: linear {l:.1%} (chance is about 33% for three classes), SwiGLU network {f:.1%}",
       l=max(lin_acc.values()), f=ffn_test)

# 4. figure: straight boundaries vs the bent one, and the loss curve
fig, axes = ex.figure(1, 3, figsize=(15, 4.8))
plot_decision_regions(axes[0], linear["softmax"].predict, X, y,
                      ex.label("softmax 回归：{a:.1%}", "softmax regression: {a:.1%}", a=lin_acc["softmax"]))
plot_decision_regions(axes[1], predict, X, y, ex.label("SwiGLU 前馈网络：{a:.1%}", "SwiGLU FeedForward: {a:.1%}", a=ffn_test))
axes[2].plot(np.arange(1, epochs + 1), losses)
axes[2].set_xlabel(ex.label("轮", "epoch"))
axes[2].set_ylabel(ex.label("训练损失（交叉熵）", "training loss (cross-entropy)"))
axes[2].grid(alpha=0.3)
ex.save(fig, "05_swiglu_ffn_spirals.png")
ex.done()
