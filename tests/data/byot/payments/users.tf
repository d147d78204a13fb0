resource "pagerduty_user" "amara" {
  name      = "Amara Okafor"
  email     = "amara@payments.example"
  time_zone = "Europe/London"
}

resource "pagerduty_user" "bjorn" {
  name      = "Bjørn Lindqvist"
  email     = "bjorn@payments.example"
  time_zone = "Europe/Stockholm"
}

resource "pagerduty_user" "chen" {
  name      = "Chen Wei"
  email     = "chen@payments.example"
  time_zone = "Asia/Singapore"
  role      = "user"
}

resource "pagerduty_user" "dolores" {
  name  = "Dolores Ruiz"
  email = "dolores@payments.example"
}

resource "pagerduty_user" "lead" {
  name  = "Priya Natarajan"
  email = "priya@payments.example"
  role  = "admin"
}
