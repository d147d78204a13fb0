resource "pagerduty_user" "desk_user01" {
  name  = "Desk One"
  email = "desk01@example.com"
}
resource "pagerduty_user" "desk_user02" {
  name  = "Desk Two"
  email = "desk02@example.com"
}
resource "pagerduty_user" "desk_user03" {
  name  = "Desk Three"
  email = "desk03@example.com"
}
resource "pagerduty_user" "desk_user04" {
  name  = "Desk Four"
  email = "desk04@example.com"
}
resource "pagerduty_user" "fred" {
  name  = "Fred Machine"
  email = "fred@example.com"
}
resource "pagerduty_team" "desk_a" {
  name = "Desk A"
}
