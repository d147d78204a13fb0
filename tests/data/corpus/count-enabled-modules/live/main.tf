resource "pagerduty_user" "kai" {
  name  = "Kai Dorn"
  email = "kai@example.io"
}

resource "pagerduty_user" "lou" {
  name  = "Lou Brand"
  email = "lou@example.io"
}

module "primary" {
  source      = "../modules/schedule"
  name        = "Data Primary"
  layer_name  = "Weekly"
  layer_users = [pagerduty_user.kai.id, pagerduty_user.lou.id]
}

module "legacy" {
  source      = "../modules/schedule"
  enabled     = false
  name        = "Data Legacy"
  layer_name  = "Old"
  layer_users = [pagerduty_user.lou.id]
}

module "policy" {
  source           = "../modules/escalation-policy"
  name             = "Data Escalation"
  repeat_loops     = 1
  schedule_targets = [module.primary.id]
  user_targets     = [pagerduty_user.lou.id]
}
