"""Pages: the self-contained HTML stepper (a file, or inline in Jupyter)."""

from .stepper import Stepper, stepper, stepper_html

__all__ = ["Stepper", "stepper", "stepper_html"]
