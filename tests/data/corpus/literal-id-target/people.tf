resource "pagerduty_user" "wren" {
  name      = "Wren Alder"
  email     = "wren@example.net"
  role      = "user"
  job_title = "Engineer"
  #teams = ["${pagerduty_team.north.id}"]
}
resource "pagerduty_user" "odo" {
  name      = "Odo Fenn"
  email     = "odo@example.net"
  role      = "admin"
  job_title = "Lead"
}
resource "pagerduty_user" "suki" {
  name      = "Suki Marr"
  email     = "suki@example.net"
  role      = "user"
  job_title = "Engineer"
}
