"""``DotGraph``: a :class:`graphviz.Digraph` that shows itself in Jupyter with whichever renderer
is installed (system ``dot`` or ``graphviz-pure``), instead of failing when ``dot`` is missing."""

from __future__ import annotations

from typing import Any

import graphviz


class DotGraph(graphviz.Digraph):
    """What :func:`tinygrad_cn.viz.draw_graph` returns: a plain ``graphviz.Digraph`` in every way,
    except that Jupyter's inline display renders through :func:`tinygrad_cn.viz.render`'s renderers."""

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict[str, str]:
        from .rendering import RenderError, svg_text

        try:
            return {"image/svg+xml": svg_text(self)}
        except RenderError as e:
            return {"text/plain": str(e)}

    def _repr_svg_(self) -> str:
        from .rendering import svg_text

        return svg_text(self)

    def svg(self) -> str:
        """This graph rendered to SVG text."""
        from .rendering import svg_text

        return svg_text(self)
