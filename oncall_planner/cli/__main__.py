"""``python -m oncall_planner.cli``: the same as the ``oncall-planner`` command."""

from oncall_planner.cli import run

if __name__ == "__main__":
    run()
