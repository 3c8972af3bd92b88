"""Why a file is refused: one clear Chinese reason per file, shown by the CLI and the upload page."""


class RefusedInput(Exception):
    """The file is not a readable budget report; nothing of it is written."""
