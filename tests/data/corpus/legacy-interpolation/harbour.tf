/* harbour.tf: one file per team, as the original keeps it */

resource "pagerduty_user" "maren_ost" {
  name  = "Maren Ost"
  email = "maren.ost@example.org"
  teams = ["${pagerduty_team.harbour.id}", "${pagerduty_team.fleet.id}"]
}

resource "pagerduty_user" "teo_vale" {
  name  = "Teo Vale"
  email = "teo.vale@example.org"
  teams = ["${pagerduty_team.harbour.id}"]
}

resource "pagerduty_user" "ines_roa" {
  name  = "Ines Roa"
  email = "ines.roa@example.org"
  role  = "limited_user"
  teams = ["${pagerduty_team.harbour.id}"]
}
