"""04 · 词袋模型：情感分类与垃圾短信识别，以及最有分量的词 / bag of words: sentiment and spam.

笔记里的文本模型：一段文本变成一个向量，词表里每个词一维，出现记 1（或记次数），词序丢失。
英文按词切分；中文没有空格，按单字和相邻两字切分。逻辑回归给每个词一个权重，权重最大的词最能
把文本推向某一类。自带语料有几百条中英文短评和短信。

The notes' text model: a text becomes a vector with one entry per vocabulary word, 1 when the word
occurs (or its count); word order is lost. English is split into words; Chinese, written without
spaces, into single characters and character pairs. A logistic regression on these vectors learns one
weight per word, so the largest weights are the words that push a text most towards one class.
The bundled corpus has a few hundred short reviews and messages in Chinese and English.

    python examples/04_bag_of_words_text.py [--lang en] [--quick] [--out DIR]
"""

import numpy as np
from _common import Example

from tinygrad_cn import data
from tinygrad_cn.models import LogisticRegression

ex = Example(__doc__)
epochs, n_top = (15, 8) if ex.quick else (50, 8)

# 1. what a bag of words is: tokens, then counts over a vocabulary; the order is gone
ex.say("分词：{t}", "tokens: {t}", t=data.tokenize("Not bad, 物超所值!"))
bow = data.BagOfWords().fit(["dog bites man", "man bites dog"])
a, b = bow.transform(["dog bites man", "man bites dog"])
ex.say("词表 {v}；'dog bites man' → {a}，'man bites dog' → {b}：词序丢失了",
       "vocabulary {v}; 'dog bites man' → {a}, 'man bites dog' → {b}: the word order is lost",
       v=bow.vocabulary_, a=a.tolist(), b=b.tolist())

tasks = {
    "sentiment": (data.load_sentiment, "positive", ("情感分类", "sentiment"),
                  ["质量很好，物流也快，非常满意", "The screen cracked after two days and support never answered."]),
    "spam": (data.load_spam, "spam", ("垃圾短信识别", "spam filtering"),
             ["恭喜您获得免费大奖，点击链接领取", "Are we still meeting for lunch tomorrow?"]),
}
weights = {}
for task, (load, positive, (zh, en), new_texts) in tasks.items():
    texts, labels = load("all")  # Chinese and English together
    T_train, T_test, y_train, y_test = data.train_test_split(texts, labels, test_size=0.25, seed=0, stratify=True)
    bow = data.BagOfWords(binary=True).fit(T_train)  # the vocabulary comes from the training texts only
    X_train, X_test = bow.transform(T_train), bow.transform(T_test)
    ex.say("\n【{name}】{n} 条文本（中文和英文），词表 {v} 个词；标签 {c}",
           "\n[{name}] {n} texts (Chinese and English), vocabulary of {v} tokens; labels {c}",
           name=ex.text(zh, en), n=len(texts), v=len(bow.vocabulary_), c=sorted(set(labels.tolist())))
    clf = LogisticRegression(lr=0.5, epochs=epochs, seed=0, verbose=True).fit(X_train, y_train)
    ex.say("训练集准确率：{a:.1%}", "train accuracy: {a:.1%}", a=clf.score(X_train, y_train))
    ex.say("测试集准确率：{a:.1%}", "test accuracy: {a:.1%}", a=clf.score(X_test, y_test))

    # w > 0 pushes towards classes_[1], w < 0 towards classes_[0]
    w, words = clf.coef_[0], bow.get_feature_names_out()
    order = np.argsort(w)
    cls0, cls1 = clf.classes_
    weights[task] = (cls0, cls1, words, w)
    for cls, picks in ((cls1, order[::-1][:n_top]), (cls0, order[:n_top])):
        ex.say("最能说明「{c}」的词：{w}", "words most telling of '{c}': {w}", c=cls,
               w=", ".join(f"{words[i]} ({w[i]:+.2f})" for i in picks))
    proba = clf.predict_proba(bow.transform(new_texts))[:, list(clf.classes_).index(positive)]
    for text, p in zip(new_texts, proba):
        ex.say("  新文本「{t}」→ P({c}) = {p:.2f}", "  new text '{t}' → P({c}) = {p:.2f}", t=text, c=positive, p=p)

# figure: the most telling tokens of each task (Chinese tokens need a font with Chinese glyphs)
fig, axes = ex.figure(1, 2, figsize=(12, 5.5))
for ax, (task, (cls0, cls1, words, w)) in zip(axes, weights.items()):
    shown = np.arange(len(words))
    if not ex.cjk_font:  # matplotlib would draw Chinese as empty boxes: show the English tokens only
        shown = np.array([i for i in shown if words[i].isascii()])
        ax.text(0.5, -0.14, "English tokens only: no font with Chinese glyphs found (the terminal shows all)",
                transform=ax.transAxes, ha="center", fontsize=8, color="gray")
    by_weight = shown[np.argsort(w[shown])]
    picks = np.concatenate([by_weight[:n_top], by_weight[-n_top:]])
    ax.barh(range(len(picks)), w[picks], color=["tab:blue" if v < 0 else "tab:orange" for v in w[picks]])
    ax.set_yticks(range(len(picks)), words[picks])
    ax.axvline(0, color="k", linewidth=0.8)
    ax.set_title(ex.label("{t}：← {a}   {b} →", "{t}: ← {a}   {b} →", t=ex.label(*tasks[task][2]), a=cls0, b=cls1))
    ax.set_xlabel(ex.label("逻辑回归权重 w", "logistic regression weight w"))
ex.save(fig, "04_bag_of_words_text.png")
ex.done()
