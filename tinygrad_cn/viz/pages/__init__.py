"""Pages: the self-contained HTML stepper (a file, or inline in Jupyter)."""

from .stepping import Stepper, stepper, stepper_html

__all__ = ["Stepper", "stepper", "stepper_html"]
