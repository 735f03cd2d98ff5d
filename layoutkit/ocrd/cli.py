"""The `ocrd-layoutkit` console script: OCR-D's standard processor command line.

OCR-D core is an optional dependency, so it is imported only when the command runs; without it
the command says which extra to install instead of failing with an import trace.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        import click
        from ocrd.decorators import ocrd_cli_options, ocrd_cli_wrap_processor
    except ImportError as exc:
        sys.exit(f"ocrd-layoutkit: OCR-D core is not installed ({exc}); install it with "
                 "pip install 'layoutkit[ocrd]'")
    from .processor import LayoutkitProcessor

    @click.command()
    @ocrd_cli_options
    def cli(*args, **kwargs):
        return ocrd_cli_wrap_processor(LayoutkitProcessor, *args, **kwargs)

    cli()


if __name__ == "__main__":
    main()
