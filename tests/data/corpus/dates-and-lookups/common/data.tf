data "pagerduty_user" "devops" {
  for_each = toset(var.oncall_devops)
  email    = each.value
}

data "pagerduty_user" "db" {
  for_each = toset(var.oncall_db)
  email    = each.value
}
