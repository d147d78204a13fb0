resource "pagerduty_team" "devops" {
  name = "DevOps"
}

resource "pagerduty_team" "management" {
  name = "Management"
}

resource "pagerduty_user" "engineer01" {
  name      = "Engineer 01"
  email     = "engineer01@example.jp"
  time_zone = "Asia/Tokyo"
}

resource "pagerduty_user" "engineer02" {
  name      = "Engineer 02"
  email     = "engineer02@example.jp"
  time_zone = "Asia/Tokyo"
}

resource "pagerduty_user" "engineer03" {
  name      = "Engineer 03"
  email     = "engineer03@example.jp"
  time_zone = "Asia/Tokyo"
}

resource "pagerduty_user" "manager01" {
  name  = "Manager 01"
  email = "manager01@example.jp"
}

resource "pagerduty_team_membership" "devops" {
  for_each = {
    engineer01 = pagerduty_user.engineer01.id
    engineer02 = pagerduty_user.engineer02.id
    engineer03 = pagerduty_user.engineer03.id
  }
  team_id = pagerduty_team.devops.id
  user_id = each.value
  role    = "responder"
}
