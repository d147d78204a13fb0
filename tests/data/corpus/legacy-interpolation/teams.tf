/* teams.tf */

resource "pagerduty_team" "fleet" {
  name = "Fleet"
}

resource "pagerduty_team" "harbour" {
  name = "Harbour"
}
