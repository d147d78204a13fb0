"""``python -m oncall_planner`` runs the command line, like ``oncall-planner``."""

from oncall_planner.cli import run

if __name__ == "__main__":
    run()
