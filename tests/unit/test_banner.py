"""The start banner shows the operator token only when kaoping has just generated it."""

from adapters.bootstrap import operator_token
from adapters.cli import banner
from adapters.settings import Settings


def settings(tmp_path, **env: str) -> Settings:
    return Settings.from_env({"KAOPING_DATA_DIR": str(tmp_path), **env})


def test_a_token_from_the_environment_is_not_printed(tmp_path) -> None:
    configured = settings(tmp_path, KAOPING_OPERATOR_TOKEN="kp_from_the_environment_123")
    token, generated = operator_token(configured)
    shown = banner(configured, token, generated, None)
    assert token not in shown
    assert "KAOPING_OPERATOR_TOKEN" in shown


def test_a_generated_token_is_printed_once_then_only_its_file(tmp_path) -> None:
    configured = settings(tmp_path)
    token, generated = operator_token(configured)
    first = banner(configured, token, generated, None)
    assert generated and token in first
    again, generated_again = operator_token(configured)  # the next start reads the file
    later = banner(configured, again, generated_again, None)
    assert again == token and not generated_again
    assert token not in later and str(tmp_path / "operator_token") in later
