"""``python -m claude_compliance.cli``: the same as the ``claude-compliance`` command."""

from . import main

main()
