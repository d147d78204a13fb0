locals {
  users_by_email = { for user in var.users : user.email => user }

  managed_users = {
    for email, user in local.users_by_email : email => user
    if !coalesce(user.existing, false)
  }

  existing_users = {
    for email, user in local.users_by_email : email => user
    if coalesce(user.existing, false)
  }

  user_id_by_email = merge(
    { for email, user in pagerduty_user.this : email => user.id },
    { for email, user in data.pagerduty_user.existing : email => user.id }
  )

  contact_methods = {
    for item in flatten([
      for user in var.users : [
        for method in coalesce(user.contact_methods, []) : {
          key        = "${user.email}:${method.label}"
          user_email = user.email
          label      = method.label
          type       = method.type
          address    = method.address
        }
      ] if !coalesce(user.existing, false)
    ]) : item.key => item
  }
}

resource "pagerduty_user" "this" {
  for_each = local.managed_users

  name      = each.value.name
  email     = each.value.email
  role      = each.value.role
  time_zone = each.value.time_zone
}

data "pagerduty_user" "existing" {
  for_each = local.existing_users

  email = each.key
}

resource "pagerduty_user_contact_method" "this" {
  for_each = local.contact_methods

  user_id = local.user_id_by_email[each.value.user_email]
  type    = each.value.type
  label   = each.value.label
  address = each.value.address
}
