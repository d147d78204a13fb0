data "pagerduty_users" "everyone" {}

data "pagerduty_teams" "every_team" {}
