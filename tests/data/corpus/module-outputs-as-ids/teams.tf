resource "pagerduty_team" "engineering" {
  name        = "Engineering"
  description = "All engineering"
}
