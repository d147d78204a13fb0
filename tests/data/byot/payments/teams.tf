resource "pagerduty_team" "payments" {
  name        = local.team_name
  description = "Payments platform"
}

resource "pagerduty_team_membership" "amara" {
  user_id = pagerduty_user.amara.id
  team_id = pagerduty_team.payments.id
  role    = "responder"
}

resource "pagerduty_team_membership" "bjorn" {
  user_id = pagerduty_user.bjorn.id
  team_id = pagerduty_team.payments.id
}

resource "pagerduty_team_membership" "chen" {
  user_id = pagerduty_user.chen.id
  team_id = pagerduty_team.payments.id
}

resource "pagerduty_team_membership" "lead" {
  user_id = pagerduty_user.lead.id
  team_id = pagerduty_team.payments.id
  role    = "manager"
}
