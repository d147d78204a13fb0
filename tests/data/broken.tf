# A deliberate syntax error for the error example in docs/cli.md: an attribute without a value.
resource "pagerduty_user" "alice" {
  name =
}
