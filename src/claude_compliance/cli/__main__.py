"""``python -m claude_compliance.cli``: the same as the ``claude-compliance`` command."""

from . import main

if __name__ == "__main__":  # importing this module (docs tools do) must not run the CLI
    main()
