"""Every user-facing sentence of the exercises, in Chinese (zh, the default) and English (en)."""

from __future__ import annotations

from ..engine.errors import check_lang as check_lang

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        # verdicts on CS231n's scale of relative error
        "exact": "完全正确",
        "ok": "正确（舍入误差）",
        "suspicious": "可疑",
        "wrong": "错误",
        "bad_shape": "形状不对",
        # table
        "col_name": "未知量",
        "col_rel": "相对误差",
        "col_verdict": "判定",
        "col_where": "最差位置",
        "col_yours": "你的值",
        "col_ref": "参考值",
        "passed": "全部通过：{n} 个未知量都对了。",
        "passed_one": "通过：这 1 个未知量是对的。",
        "colon": "：",
        "failed": "第一个错误的未知量：{name}（相对误差 {rel}）。",
        "hint": "提示",
        "scale": "判定标准（CS231n）：相对误差 > 1e-2 错误，1e-4…1e-2 可疑，< 1e-7 完全正确；≤ 1e-4 算通过。",
        # the common mistakes
        "h_sign": "{name}：符号反了——你的答案正好是正确答案的相反数。检查局部导数里的负号"
        "（例如 ∂(−x)/∂x = −1，或把 σ(s) − y 写成了 y − σ(s)）。",
        "h_transpose": "{name}：矩阵转置了——你的答案是正确答案的转置。拿形状当线索：∂L/∂W 的形状一定和 W 相同；"
        "Y = X W 时 ∂L/∂W = Xᵀ (∂L/∂Y)，∂L/∂X = (∂L/∂Y) Wᵀ。",
        "h_batch_sum": "{name}：漏了对批次求和——这个参数被批次里的每个样本共用（广播），它的梯度是所有样本的贡献之和，"
        "形状应为 {shape}，而不是每个样本一份 {given}。",
        "h_batch_one": "{name}：只算了第一个样本——参数被批次里的 {n} 个样本共用，要把每个样本的贡献加起来。",
        "h_batch_mean": "{name}：求和与求平均搞混了——损失是对批次取{how}，梯度也要{fix}（相差 N = {n} 倍）。",
        "how_mean": "平均",
        "how_sum": "和",
        "fix_mean": "除以 N",
        "fix_sum": "不除以 N",
        "h_accumulate": "{name}：漏了 +=——这个量在计算图里被用了 {k} 次，你的答案只是其中一次使用的贡献。"
        "每次使用的梯度都要累加（grad += …），不能用 = 覆盖。",
        "h_upstream": "{name}：忘了乘上游梯度 g——反向规则要返回 g·∂y/∂x（向量–雅可比积），不只是局部导数 ∂y/∂x。",
        # errors
        "e_missing": "{who}：缺少未知量 {names} 的答案（需要：{need}）",
        "e_unexpected": "{who}：没有叫 {name!r} 的未知量{maybe}（需要：{need}）",
        "e_maybe": "，你是不是想写 {guess!r}？",
        "e_shape": "{who}：{name} 的形状是 {got}，应该是 {want}",
        "e_number": "{who}：{name} 应该是数字或数组，得到的是 {typ}",
        "e_callable": "{who}：{name} 应该是一个反向规则 rule(ctx, g, y, x) 或 Op 的子类，得到的是 {typ}",
        "e_rules": "{who}：{name} 这个 Op 子类的 backward 应该恰好有 1 条规则（一个输入），实际有 {n} 条",
        "e_rule_shape": "{who}：你的反向规则返回的形状是 {got}，应该和输出形状 {want} 相同",
        "e_unknown_id": "没有编号为 {id!r} 的练习{maybe}（共有：{ids}）",
        "e_rule_raised": "{who}：你的{what} {name} 在运行时出错：{err}",
        "e_rule_signature": "{who}：你的{what} {name} 的参数不对（应该是 {sig}）：{err}",
        "what_rule": "反向规则",
        "what_forward": "前向函数",
        # presentation
        "inputs": "已知",
        "unknowns": "求（手算，至少保留 6 位有效数字）",
        "how": "用 ex.check({{...}}) 检查答案；exercises.solution({id!r}) 给出参考答案（由自动求导算出）。",
        "forward": "前向",
        "backward": "反向规则",
    },
    "en": {
        "exact": "exact",
        "ok": "correct (rounding)",
        "suspicious": "suspicious",
        "wrong": "wrong",
        "bad_shape": "wrong shape",
        "col_name": "unknown",
        "col_rel": "rel. error",
        "col_verdict": "verdict",
        "col_where": "worst index",
        "col_yours": "yours",
        "col_ref": "reference",
        "passed": "All passed: all {n} unknowns are right.",
        "passed_one": "Passed: the one unknown is right.",
        "colon": ": ",
        "failed": "First wrong unknown: {name} (relative error {rel}).",
        "hint": "hint",
        "scale": "Scale (CS231n): relative error > 1e-2 wrong, 1e-4…1e-2 suspicious, < 1e-7 exact; ≤ 1e-4 passes.",
        "h_sign": "{name}: the sign is flipped — your answer is exactly minus the right one. Check the minus signs of "
        "the local derivatives (e.g. ∂(−x)/∂x = −1, or σ(s) − y written as y − σ(s)).",
        "h_transpose": "{name}: the matrix is transposed — your answer is the transpose of the right one. Use the shapes "
        "as the clue: ∂L/∂W always has W's shape; for Y = X W, ∂L/∂W = Xᵀ (∂L/∂Y) and ∂L/∂X = (∂L/∂Y) Wᵀ.",
        "h_batch_sum": "{name}: the sum over the batch is missing — every sample of the batch shares this parameter "
        "(broadcast), so its gradient is the sum of all samples' contributions, of shape {shape}, not one per "
        "sample {given}.",
        "h_batch_one": "{name}: only the first sample is counted — all {n} samples of the batch share this parameter; "
        "add up every sample's contribution.",
        "h_batch_mean": "{name}: sum and mean are mixed up — the loss is the {how} over the batch, so the gradient must "
        "{fix} too (off by a factor N = {n}).",
        "how_mean": "mean",
        "how_sum": "sum",
        "fix_mean": "be divided by N",
        "fix_sum": "not be divided by N",
        "h_accumulate": "{name}: a forgotten += — this quantity is used {k} times in the graph and your answer is the "
        "contribution of one use only. The gradients of all uses add up (grad += …); = overwrites them.",
        "h_upstream": "{name}: the upstream gradient g is not multiplied in — a backward rule returns g·∂y/∂x "
        "(a vector-Jacobian product), not just the local derivative ∂y/∂x.",
        "e_missing": "{who}: no answer for the unknown(s) {names} (expected: {need})",
        "e_unexpected": "{who}: there is no unknown called {name!r}{maybe} (expected: {need})",
        "e_maybe": "; did you mean {guess!r}?",
        "e_shape": "{who}: {name} has shape {got}, expected {want}",
        "e_number": "{who}: {name} must be a number or an array, got {typ}",
        "e_callable": "{who}: {name} must be a backward rule rule(ctx, g, y, x) or an Op subclass, got {typ}",
        "e_rules": "{who}: the backward of the Op subclass {name} must hold exactly 1 rule (one input), it has {n}",
        "e_rule_shape": "{who}: your backward rule returned shape {got}, expected the output's shape {want}",
        "e_unknown_id": "no exercise with id {id!r}{maybe} (there are: {ids})",
        "e_rule_raised": "{who}: your {what} {name} raised an error: {err}",
        "e_rule_signature": "{who}: your {what} {name} has the wrong parameters (it must be {sig}): {err}",
        "what_rule": "backward rule",
        "what_forward": "forward",
        "inputs": "given",
        "unknowns": "find (by hand, to at least 6 significant digits)",
        "how": "Check with ex.check({{...}}); exercises.solution({id!r}) gives the reference (computed by autograd).",
        "forward": "forward",
        "backward": "backward rule",
    },
}
