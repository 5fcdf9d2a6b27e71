"""User-facing error reporting shared by all tools."""


class ToolError(Exception):
    """One or more user-facing error messages.

    The messages are complete sentences meant for the terminal (usually
    ``FILE:LINE: message``); the CLIs print each on its own line.
    """

    def __init__(self, messages):
        if isinstance(messages, str):
            messages = [messages]
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


def at(path, line, message):
    """Format a message that points at a line of a file."""
    return f"{path}:{line}: {message}"
