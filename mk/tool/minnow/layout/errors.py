"""The one error the layout compiler raises: a message at a place in a file."""

from ..diag import ToolError


class LayoutError(ToolError):
    def __init__(self, path, line, col, message):
        self.path, self.line, self.col = path, line, col
        super().__init__(f"{path}:{line}:{col}: {message}")
