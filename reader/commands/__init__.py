"""CLI subcommands, one module each: ``build_parser(prog)`` and ``run(args) -> int``."""
