resource "pagerduty_schedule" "rota" {
  for_each  = var.rotas
  name      = each.value["name"]
  time_zone = each.value["time_zone"]

  dynamic "layer" {
    for_each = each.value["layers"]
    content {
      name                         = layer.value["name"]
      start                        = layer.value["start"]
      rotation_virtual_start       = layer.value["rotation_virtual_start"]
      rotation_turn_length_seconds = layer.value["rotation_turn_length_seconds"]
      users                        = [for m in layer.value["members"] : data.pagerduty_user.members[m].id]

      dynamic "restriction" {
        for_each = { for k, v in layer.value["window"] :
          k => v if try(v["enabled"], false) == true
        }
        content {
          type              = restriction.value["type"]
          start_time_of_day = restriction.value["start_time_of_day"]
          duration_seconds  = restriction.value["duration_seconds"]
          start_day_of_week = restriction.value["type"] == "weekly_restriction" ? restriction.value["start_day_of_week"] : null
        }
      }
    }
  }
}

resource "pagerduty_escalation_policy" "service" {
  for_each = var.services
  name     = join("-", [each.key, "policy"])

  dynamic "rule" {
    for_each = each.value["levels"]
    content {
      escalation_delay_in_minutes = rule.value["escalation_delay_in_minutes"]

      dynamic "target" {
        for_each = rule.value["targets"]
        content {
          type = target.value["type"]
          id   = target.value["type"] == "user_reference" ? pagerduty_user.person[target.value["target"]].id : pagerduty_schedule.rota[target.value["target"]].id
        }
      }
    }
  }
}
